package wgan.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wgan.TestImages;
import wgan.config.InputException;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** Every kind of surprise a real photo folder holds is either used correctly or skipped with a reason. */
class BadFilesTest {
    private static final int SIZE = 16;
    private final ImageDecoder rgb = new ImageDecoder(SIZE, 3);

    @Test
    void folderOfSurprisesKeepsTheGoodFilesAndNamesTheBadOnes(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        TestImages.writeTree(data, 2, 1, 40, 30, 1);
        Path nested = Files.createDirectories(data.resolve("a/b/c"));
        TestImages.writeTree(nested, 1, 1, 40, 30, 2);
        Files.write(data.resolve("empty.jpg"), new byte[0]);
        Files.writeString(data.resolve("text.jpg"), "this is not a photo");
        Files.write(data.resolve("truncated.jpg"), truncatedJpeg());
        Files.writeString(data.resolve("notes.txt"), "labels");
        Files.write(data.resolve(".hidden.jpg"), jpeg(solid(40, 30, Color.RED, BufferedImage.TYPE_INT_RGB)));
        Files.createDirectories(data.resolve(".git"));
        Files.write(data.resolve(".git/x.jpg"), jpeg(solid(40, 30, Color.RED, BufferedImage.TYPE_INT_RGB)));
        Files.createSymbolicLink(data.resolve("loop"), data);
        List<String> notes = new ArrayList<>();

        ImageLoader.Prepared prepared = ImageLoader.prepare(data, SIZE, 3, tmp.resolve("cache"), notes::add);

        assertEquals(3, prepared.images().count(), "two top-level photos and the nested one");
        assertEquals("empty file", reasonFor(prepared, "empty.jpg"));
        assertEquals("not a decodable image", reasonFor(prepared, "text.jpg"));
        assertTrue(reasonFor(prepared, "truncated.jpg").startsWith("truncated JPEG"));
        assertTrue(reasonFor(prepared, "notes.txt").startsWith("not an image file"));
        assertEquals("hidden file", reasonFor(prepared, ".hidden.jpg"));
        assertEquals("hidden folder, not searched", reasonFor(prepared, ".git"));
        assertEquals("symbolic link loop", reasonFor(prepared, "loop"));
        assertEquals(7, prepared.images().skipped().size(), prepared.images().skipped().toString());
        assertEquals(List.of(), notes);
    }

    @Test
    void nothingUsableIsOneInputError(@TempDir Path tmp) throws Exception {
        Files.write(tmp.resolve("empty.jpg"), new byte[0]);
        Files.write(tmp.resolve("truncated.jpg"), truncatedJpeg());
        InputException e = assertThrows(InputException.class,
                () -> ImageLoader.prepare(tmp, SIZE, 3, tmp.resolve("cache"), n -> { }));
        assertTrue(e.getMessage().contains("none of the 2 image files"), e.getMessage());
    }

    @Test
    void cmykJpegIsUsedInItsColours() throws Exception {
        // Photoshop's (Adobe) CMYK JPEGs store inverted ink: these values mean R 200, G 100, B 50.
        WritableRaster cmyk = Raster.createInterleavedRaster(java.awt.image.DataBuffer.TYPE_BYTE, 40, 30, 4, null);
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 40; x++) {
                cmyk.setPixel(x, y, new int[]{200, 100, 50, 255});
            }
        }
        byte[] file = encodeJpeg(new IIOImage(cmyk, null, null));
        assertEquals(4, frameComponents(file), "really a four-component (CMYK) JPEG");
        assertColour(rgb.decode(file), 200, 100, 50);
    }

    @Test
    void sixteenBitPngIsScaledToEightBits() throws Exception {
        BufferedImage gray16 = new BufferedImage(40, 30, BufferedImage.TYPE_USHORT_GRAY);
        short[] samples = new short[40 * 30];
        Arrays.fill(samples, (short) 0x8080);
        gray16.getRaster().setDataElements(0, 0, 40, 30, samples);
        byte[] file = png(gray16);
        assertEquals(16, file[24], "bit depth in the PNG header");
        assertColour(rgb.decode(file), 128, 128, 128);
    }

    @Test
    void pngWithAlphaKeepsItsColoursAndDropsAlphaAsTheReferenceDoes() throws Exception {
        assertColour(rgb.decode(png(solid(40, 30, new Color(10, 200, 30, 0), BufferedImage.TYPE_INT_ARGB))),
                10, 200, 30);
    }

    @Test
    void grayscaleJpegBecomesRgbWithEqualChannels() throws Exception {
        assertColour(rgb.decode(jpeg(solid(40, 30, new Color(90, 90, 90), BufferedImage.TYPE_BYTE_GRAY))), 90, 90, 90);
    }

    @Test
    void smallImageIsUpscaled() throws Exception {
        assertColour(rgb.decode(png(solid(5, 7, new Color(40, 80, 120), BufferedImage.TYPE_INT_RGB))), 40, 80, 120);
    }

    @Test
    void hugeJpegIsDecodedAtAnEighth() throws Exception {
        byte[] file = jpeg(solid(6000, 4000, new Color(70, 70, 70), BufferedImage.TYPE_BYTE_GRAY));
        assertEquals(8, ImageHeader.read(file).reduction(64), "750x500 still covers 64x64");
        assertColour(rgb.decode(file), 70, 70, 70);
    }

    @Test
    void unreadableFileIsSkipped(@TempDir Path tmp) throws Exception {
        Path file = Files.write(tmp.resolve("locked.jpg"), jpeg(solid(40, 30, Color.RED, BufferedImage.TYPE_INT_RGB)));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        assumeFalse(Files.isReadable(file), "running as root, which reads a chmod 000 file anyway: nothing to skip");
        assertEquals(ImageDecoder.UNREADABLE + ": permission denied", rgb.decode(file).problem());
    }

    private static String reasonFor(ImageLoader.Prepared prepared, String name) {
        return prepared.images().skipped().stream().filter(s -> s.path().getFileName().toString().equals(name))
                .map(SkippedFile::reason).findFirst().orElseThrow(() -> new AssertionError(name + " not skipped"));
    }

    /** Every pixel of every plane within JPEG's error of the expected colour. */
    private static void assertColour(ImageDecoder.Result result, int r, int g, int b) {
        assertNull(result.problem());
        assertNotNull(result.pixels());
        int plane = SIZE * SIZE;
        int[] expected = {r, g, b};
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < plane; p++) {
                int value = result.pixels()[c * plane + p] & 0xFF;
                assertTrue(Math.abs(value - expected[c]) <= 3, "channel " + c + " pixel " + p + ": " + value);
            }
        }
    }

    private static byte[] truncatedJpeg() throws IOException {
        byte[] whole = jpeg(TestImages.photo(64, 48, new Random(3)));
        return Arrays.copyOf(whole, whole.length * 2 / 3);
    }

    private static BufferedImage solid(int width, int height, Color colour, int type) {
        BufferedImage image = new BufferedImage(width, height, type);
        var g = image.createGraphics();
        g.setComposite(java.awt.AlphaComposite.Src); // keep a transparent colour's RGB
        g.setColor(colour);
        g.fillRect(0, 0, width, height);
        g.dispose();
        return image;
    }

    private static byte[] jpeg(BufferedImage image) throws IOException {
        return encodeJpeg(new IIOImage(image, null, null));
    }

    private static byte[] encodeJpeg(IIOImage image) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        var bytes = new java.io.ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, image, null);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private static byte[] png(BufferedImage image) throws IOException {
        var bytes = new java.io.ByteArrayOutputStream();
        ImageIO.write(image, "png", bytes);
        return bytes.toByteArray();
    }

    /** The component count in the JPEG's start-of-frame header (3 for YCbCr, 4 for CMYK/YCCK). */
    private static int frameComponents(byte[] b) {
        int i = 2;
        while (true) {
            int marker = b[i + 1] & 0xFF;
            if (marker >= 0xC0 && marker <= 0xC2) {
                return b[i + 9] & 0xFF;
            }
            i += 2 + (((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF));
        }
    }
}
