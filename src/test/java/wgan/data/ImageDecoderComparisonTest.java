package wgan.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import wgan.TestImages;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The DataVec decoder gives the pixels the decoder before it (OpenCV called directly, kept in the
 * tests as {@link OldImageDecoder}) gave, on real images: the Fashion-MNIST sample, 640x480
 * photo-like JPEGs, an EXIF-rotated JPEG and the odd formats. -Dwgan.compare.dir=DIR adds a folder
 * (e.g. one made by scripts/make_photo_tree.py) and prints the figures.
 */
class ImageDecoderComparisonTest {

    @Test
    void sameUseAndPixelsAsTheOldDecoder(@TempDir Path tmp) throws Exception {
        List<Path> files = new ArrayList<>();
        Path sample = Path.of("data/sample");
        try (Stream<Path> s = Files.walk(sample)) {
            s.filter(p -> p.toString().endsWith(".png")).sorted().limit(300).forEach(files::add);
        }
        Path photos = tmp.resolve("photos");
        TestImages.writeTree(photos, 40, 4, 640, 480, 11);
        TestImages.writeTree(photos.resolve("portrait"), 5, 1, 480, 640, 12);
        TestImages.writeTree(photos.resolve("small"), 5, 1, 50, 40, 13);
        files.add(Files.write(tmp.resolve("rotated.jpg"), withExifOrientation(jpeg(halves(64, 48)), 6)));
        files.add(Files.write(tmp.resolve("gray.jpg"), jpeg(gray(80, 60))));
        try (Stream<Path> s = Files.walk(photos)) {
            s.filter(Files::isRegularFile).sorted().forEach(files::add);
        }
        String extra = System.getProperty("wgan.compare.dir");
        if (extra != null) {
            try (Stream<Path> s = Files.walk(Path.of(extra))) {
                s.filter(p -> p.toString().endsWith(".jpg")).sorted().forEach(files::add);
            }
        }
        for (int[] shape : new int[][]{{64, 3}, {32, 1}}) {
            Comparison c = compare(files, shape[0], shape[1]);
            System.out.printf("old vs new decoder, %d files at %dx%dx%d: mean |difference| %.4f grey levels,"
                            + " worst image %.4f, largest pixel difference %d, %.2f%% of pixels identical%n",
                    c.images, shape[0], shape[0], shape[1], c.mean(), c.worstImage, c.worstPixel,
                    100.0 * c.identical / c.pixels);
            assertEquals(files.size(), c.images, "every image used by the old decoder is used by the new one");
            assertTrue(c.mean() <= 1.0, "mean difference " + c.mean());
            assertTrue(c.worstImage <= 1.0, "worst image's mean difference " + c.worstImage);
        }
    }

    @Test
    void exifOrientationIsApplied() throws Exception {
        // left half red, right half blue; orientation 6 means "rotate 90 degrees clockwise to view"
        byte[] file = withExifOrientation(jpeg(halves(64, 48)), 6);
        byte[] pixels = new ImageDecoder(16, 3).decode(file).pixels();
        int plane = 16 * 16;
        int topRed = pixels[2 * 16 + 8] & 0xFF;      // red plane, row 2: after rotation the red half is on top
        int bottomRed = pixels[13 * 16 + 8] & 0xFF;
        int bottomBlue = pixels[2 * plane + 13 * 16 + 8] & 0xFF;
        assertTrue(topRed > 200 && bottomRed < 60 && bottomBlue > 200,
                "rotated: top red " + topRed + ", bottom red " + bottomRed + ", bottom blue " + bottomBlue);
    }

    @Test
    void dataVecMatrixEntryPointGivesTheSamePixels(@TempDir Path tmp) throws Exception {
        TestImages.writeTree(tmp, 1, 1, 640, 480, 5);
        Path file = tmp.resolve("c0/img_0.jpg");
        byte[] planar = new ImageDecoder(32, 3).decode(file).pixels();
        INDArray matrix = new ScaledImageLoader(32, 3).asMatrix(file.toFile(), true);
        assertEquals(List.of(1L, 3L, 32L, 32L), List.of(matrix.shape()[0], matrix.shape()[1], matrix.shape()[2],
                matrix.shape()[3]));
        float[] values = matrix.ravel().toFloatVector();
        for (int i = 0; i < planar.length; i++) {
            assertEquals(planar[i] & 0xFF, values[i], 0f, "pixel " + i);
        }
    }

    private static final class Comparison {
        int images;
        long pixels;
        long identical;
        long sum;
        double worstImage;
        int worstPixel;

        double mean() {
            return (double) sum / pixels;
        }
    }

    private static Comparison compare(List<Path> files, int size, int channels) {
        OldImageDecoder old = new OldImageDecoder(size, channels);
        ImageDecoder now = new ImageDecoder(size, channels);
        Comparison c = new Comparison();
        for (Path file : files) {
            OldImageDecoder.Result a = old.decode(file);
            ImageDecoder.Result b = now.decode(file);
            assertEquals(a.problem(), b.problem(), file.toString());
            if (a.pixels() == null || b.pixels() == null) {
                continue;
            }
            long sum = 0;
            for (int i = 0; i < a.pixels().length; i++) {
                int d = Math.abs((a.pixels()[i] & 0xFF) - (b.pixels()[i] & 0xFF));
                sum += d;
                c.identical += d == 0 ? 1 : 0;
                c.worstPixel = Math.max(c.worstPixel, d);
            }
            c.images++;
            c.pixels += a.pixels().length;
            c.sum += sum;
            c.worstImage = Math.max(c.worstImage, (double) sum / a.pixels().length);
        }
        return c;
    }

    static BufferedImage halves(int w, int h) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, w / 2, h);
        g.setColor(Color.BLUE);
        g.fillRect(w / 2, 0, w - w / 2, h);
        g.dispose();
        return image;
    }

    private static BufferedImage gray(int w, int h) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = image.createGraphics();
        g.drawImage(TestImages.photo(w, h, new Random(4)), 0, 0, null);
        g.dispose();
        return image;
    }

    static byte[] jpeg(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpg", out);
        return out.toByteArray();
    }

    /** Puts an APP1 Exif segment holding only an Orientation tag right after the start-of-image marker. */
    static byte[] withExifOrientation(byte[] jpeg, int orientation) {
        byte[] tiff = {'M', 'M', 0, 42, 0, 0, 0, 8, // big-endian TIFF header, first IFD at 8
                0, 1,                                 // one entry
                0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte) orientation, 0, 0, // Orientation, SHORT, 1 value
                0, 0, 0, 0};                          // no next IFD
        byte[] exif = {'E', 'x', 'i', 'f', 0, 0};
        int length = 2 + exif.length + tiff.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        out.write(0xFF);
        out.write(0xE1);
        out.write(length >> 8);
        out.write(length & 0xFF);
        out.write(exif, 0, exif.length);
        out.write(tiff, 0, tiff.length);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }
}
