package wgan.io;

import wgan.files.AtomicFiles;
import org.nd4j.linalg.api.ndarray.INDArray;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Saves generated or real images ([N, C, S, S] floats in [-1, 1]) as PNG: a grid with 2-pixel
 * black gaps like torchvision's save_image (which the reference uses), or one file per image.
 * PNGs carry no timestamp, so the same pixels always give the same bytes.
 */
public final class ImageGrid {
    public static final int GAP = 2;

    private ImageGrid() {
    }

    public static void writeGrid(INDArray images, int columns, Path png) throws IOException {
        int n = (int) images.size(0);
        int size = (int) images.size(2);
        int rows = (n + columns - 1) / columns;
        int cols = Math.min(columns, n);
        BufferedImage grid = new BufferedImage(GAP + cols * (size + GAP), GAP + rows * (size + GAP),
                BufferedImage.TYPE_INT_RGB);
        float[] data = images.dup('c').data().asFloat();
        for (int i = 0; i < n; i++) {
            draw(data, i, images, grid, GAP + (i % columns) * (size + GAP), GAP + (i / columns) * (size + GAP));
        }
        AtomicFiles.write(png, file -> ImageIO.write(grid, "png", file.toFile()));
    }

    /** Writes image i to dir/prefix-0001.png, ... (numbered from 1). */
    public static void writeEach(INDArray images, Path dir, String prefix) throws IOException {
        Files.createDirectories(dir);
        int n = (int) images.size(0);
        int size = (int) images.size(2);
        float[] data = images.dup('c').data().asFloat();
        int digits = Math.max(4, String.valueOf(n).length());
        for (int i = 0; i < n; i++) {
            BufferedImage one = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
            draw(data, i, images, one, 0, 0);
            Path file = dir.resolve(String.format("%s-%0" + digits + "d.png", prefix, i + 1));
            AtomicFiles.write(file, f -> ImageIO.write(one, "png", f.toFile()));
        }
    }

    private static void draw(float[] data, int index, INDArray images, BufferedImage target, int x0, int y0) {
        draw(data, index, images, target, x0, y0, 1);
    }

    /** Image index of data (images' layout, c order) into target at (x0, y0), each pixel as scale x scale. */
    static void draw(float[] data, int index, INDArray images, BufferedImage target, int x0, int y0, int scale) {
        int channels = (int) images.size(1);
        int size = (int) images.size(2);
        int plane = size * size;
        int base = index * channels * plane;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int p = base + y * size + x;
                int r = toByte(data[p]);
                int g = channels == 3 ? toByte(data[p + plane]) : r;
                int b = channels == 3 ? toByte(data[p + 2 * plane]) : r;
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) {
                        target.setRGB(x0 + x * scale + dx, y0 + y * scale + dy, (r << 16) | (g << 8) | b);
                    }
                }
            }
        }
    }

    /** [-1, 1] to 0..255 as torchvision does: clamp, then round (x * 0.5 + 0.5) * 255. */
    public static int toByte(float v) {
        float unit = Math.max(0f, Math.min(1f, v * 0.5f + 0.5f));
        return (int) (unit * 255f + 0.5f);
    }
}
