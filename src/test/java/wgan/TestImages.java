package wgan;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Small photo-like test images (a gradient background with a few shapes), made on the fly. */
public final class TestImages {
    private TestImages() {
    }

    /** Writes count JPEGs of width x height into root/c0..c{classes-1}, round robin. */
    public static void writeTree(Path root, int count, int classes, int width, int height, long seed)
            throws IOException {
        Random random = new Random(seed);
        for (int i = 0; i < count; i++) {
            Path dir = root.resolve("c" + (i % classes));
            Files.createDirectories(dir);
            ImageIO.write(photo(width, height, random), "jpg", dir.resolve("img_" + i + ".jpg").toFile());
        }
    }

    public static BufferedImage photo(int width, int height, Random random) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        Color a = new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256));
        Color b = new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256));
        g.setPaint(new java.awt.GradientPaint(0, 0, a, width, height, b));
        g.fillRect(0, 0, width, height);
        for (int s = 0; s < 3; s++) {
            g.setColor(new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256)));
            int w = width / 4 + random.nextInt(width / 3);
            int h = height / 4 + random.nextInt(height / 3);
            g.fillOval(random.nextInt(width - w), random.nextInt(height - h), w, h);
        }
        g.dispose();
        return image;
    }
}
