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
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The DataVec decoder gives the pixels the decoder before it gave (src/test/resources/
 * decoder-reference: real photo-like JPEGs, progressive, portrait, gray, PNG, EXIF-rotated, and
 * the old decoder's output for each), within 1 grey level on average per image.
 */
class ImageDecoderReferenceTest {
    private static final Path REFERENCE = Path.of("src/test/resources/decoder-reference");

    @Test
    void samePixelsAsTheDecoderBeforeDataVec() throws Exception {
        List<Path> inputs;
        try (Stream<Path> s = Files.list(REFERENCE)) {
            inputs = s.filter(p -> p.toString().matches(".*\\.(jpg|png)$")).sorted().toList();
        }
        assertEquals(10, inputs.size(), inputs.toString());
        for (int[] shape : new int[][]{{64, 3}, {32, 1}}) {
            ImageDecoder decoder = new ImageDecoder(shape[0], shape[1]);
            for (Path input : inputs) {
                byte[] expected = reference(input, shape[0], shape[1]);
                ImageDecoder.Result result = decoder.decode(input);
                assertNotNull(result.pixels(), input + ": " + result.problem());
                assertEquals(expected.length, result.pixels().length);
                long sum = 0;
                for (int i = 0; i < expected.length; i++) {
                    sum += Math.abs((expected[i] & 0xFF) - (result.pixels()[i] & 0xFF));
                }
                double mean = (double) sum / expected.length;
                assertTrue(mean <= 1.0, input + " at " + shape[0] + "x" + shape[1] + ": mean difference " + mean);
            }
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

    private static byte[] reference(Path input, int size, int channels) throws IOException {
        Path file = REFERENCE.resolve(input.getFileName() + "." + size + "x" + size + "x" + channels + ".gz");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            return in.readAllBytes();
        }
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
