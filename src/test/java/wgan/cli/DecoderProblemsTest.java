package wgan.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wgan.TestImages;

import javax.imageio.ImageIO;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14, items 4 and 9, through the real CLI in a process of its own (the native decoders
 * write to the process's file descriptor 2, which only a separate process shows): every decoder
 * complaint is tied to its file, and a decompression bomb is skipped from its header.
 */
class DecoderProblemsTest {

    @Test
    void everyDecoderComplaintNamesItsFile(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("imgs");
        TestImages.writeTree(data, 6, 2, 320, 240, 1);
        byte[] photo = jpeg(320, 240, 7);
        Files.write(data.resolve("c0/damaged.jpg"), damagedMiddle(photo));
        Files.write(data.resolve("c0/trailing.jpg"), bytesBeforeEnd(photo));
        Files.write(data.resolve("c1/badchunk.png"), badChunkPng());
        Path log = tmp.resolve("prepare.log");

        int code = WganProcess.run(log, Duration.ofMinutes(2), "prepare", "--data", data.toString(),
                "--image-size", "32", "--cache-dir", tmp.resolve("cache").toString());
        String out = Files.readString(log);

        assertEquals(0, code, out);
        // nothing from libjpeg or libpng without a file name (today's decoders print three such lines)
        for (String line : out.lines().toList()) {
            boolean fromDecoder = line.contains("JPEG") || line.contains("libpng");
            assertFalse(fromDecoder && !line.contains(data.toString()), "unattributed: " + line + "\n" + out);
        }
        assertTrue(out.contains("skipped: " + data.resolve("c0/damaged.jpg") + ": damaged image data (Corrupt JPEG data"),
                out);
        assertTrue(out.contains("skipped: " + data.resolve("c1/badchunk.png") + ": not a decodable image (libpng error"),
                out);
        assertTrue(out.contains("warning: " + data.resolve("c0/trailing.jpg")
                + ": used, with a decoder warning: Corrupt JPEG data: "), out);
        assertTrue(out.contains("extraneous bytes before marker 0xd9"), out);
        assertTrue(out.contains("images: 7 used, 2 skipped, 1 used with a decoder warning"), out);

        // the same from the cache, and in a run's skipped.txt
        Path run = tmp.resolve("run");
        code = WganProcess.run(tmp.resolve("train.log"), Duration.ofMinutes(3), "train", "--data", data.toString(),
                "--image-size", "16", "--epochs", "1", "--batch-size", "4", "--ngf", "4", "--ndf", "4", "--nz", "8",
                "--seed", "1", "--eval-every", "0", "--out", run.toString(), "--cache-dir", tmp.resolve("cache").toString());
        assertEquals(0, code, Files.readString(tmp.resolve("train.log")));
        List<String> skipped = Files.readAllLines(run.resolve("skipped.txt"));
        assertEquals(3, skipped.size(), String.join("\n", skipped));
        com.fasterxml.jackson.databind.JsonNode warned = new com.fasterxml.jackson.databind.ObjectMapper().readTree(skipped.get(2));
        assertEquals(data.resolve("c0/trailing.jpg").toString(), warned.get("path").asText(), String.join("\n", skipped));
        assertTrue(warned.get("used").asBoolean() && warned.get("reason").asText().startsWith("Corrupt JPEG data: "),
                String.join("\n", skipped));
    }

    @Test
    void decompressionBombIsSkippedFromItsHeader(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("imgs");
        TestImages.writeTree(data, 3, 1, 100, 80, 2);
        Path bomb = Files.write(data.resolve("c0/bomb.png"), blackPng(32_000, 32_000));
        assertTrue(Files.size(bomb) < 200_000, "a small file: " + Files.size(bomb));
        Path log = tmp.resolve("prepare.log");

        long start = System.nanoTime();
        int code = WganProcess.run(log, Duration.ofMinutes(2), "prepare", "--data", data.toString(),
                "--image-size", "32", "--cache-dir", tmp.resolve("cache").toString());
        double seconds = (System.nanoTime() - start) / 1e9;
        String out = Files.readString(log);

        assertEquals(0, code, out);
        assertTrue(out.contains("skipped: " + bomb + ": image too large: 32000 x 32000 is 1024.0 megapixels,"
                + " over --max-pixels 100000000"), out);
        assertTrue(out.contains("images: 3 used, 1 skipped"), out);
        assertTrue(seconds < 30, "decoding a 1-gigapixel image takes ~25 s; skipping it none: " + seconds);

        // the limit is a flag: 100x80 photos are 8,000 pixels
        CliRunner.Run strict = CliRunner.run("prepare", "--data", data.toString(), "--image-size", "32",
                "--max-pixels", "5000", "--cache-dir", tmp.resolve("cache").toString());
        assertEquals(2, strict.exitCode(), strict.out() + strict.err());
        assertTrue(strict.err().contains("none of the 4 image files"), strict.err());
        assertTrue(strict.err().contains("over --max-pixels 5000"), strict.err());
        assertFalse(strict.err().contains("\tat "), strict.err());
    }

    private static byte[] jpeg(int w, int h, long seed) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(TestImages.photo(w, h, new Random(seed)), "jpg", out);
        return out.toByteArray();
    }

    /** 2,000 bytes of noise over the middle of the entropy-coded data: libjpeg decodes it with a warning. */
    private static byte[] damagedMiddle(byte[] jpeg) {
        byte[] d = jpeg.clone();
        int mid = d.length / 2;
        for (int i = 0; i < 2000 && mid + i < d.length - 2; i++) {
            d[mid + i] = (byte) (i * 37);
        }
        return d;
    }

    /** Six stray bytes before the end-of-image marker: libjpeg says so, the picture is whole. */
    private static byte[] bytesBeforeEnd(byte[] jpeg) {
        byte[] stray = {1, 2, 3, 4, 5, 6};
        byte[] d = Arrays.copyOf(jpeg, jpeg.length + stray.length);
        System.arraycopy(stray, 0, d, jpeg.length - 2, stray.length);
        d[d.length - 2] = (byte) 0xFF;
        d[d.length - 1] = (byte) 0xD9;
        return d;
    }

    /** A 64x48 RGB PNG whose second chunk has an invalid type: libpng gives up with an error. */
    private static byte[] badChunkPng() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(TestImages.photo(64, 48, new Random(3)), "png", out);
        byte[] png = out.toByteArray();
        int second = 8 + 8 + 13 + 4; // signature, IHDR length and type, IHDR data, CRC
        png[second + 4] = 1;
        png[second + 5] = 2;
        png[second + 6] = 3;
        png[second + 7] = 4;
        return png;
    }

    /** A width x height 1-bit grey PNG, all black: ~124 KB on disk, 3 GB once decoded to 8-bit BGR. */
    static byte[] blackPng(int width, int height) {
        Deflater deflater = new Deflater(9);
        byte[] row = new byte[1 + (width + 7) / 8]; // filter byte, then the packed bits
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        byte[] buffer = new byte[1 << 16];
        for (int y = 0; y < height; y++) {
            deflater.setInput(row);
            while (!deflater.needsInput()) {
                idat.write(buffer, 0, deflater.deflate(buffer));
            }
        }
        deflater.finish();
        while (!deflater.finished()) {
            idat.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 1).put((byte) 0)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.writeBytes(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        chunk(png, "IHDR", ihdr.array());
        chunk(png, "IDAT", idat.toByteArray());
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream png, String type, byte[] data) {
        byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        png.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        png.writeBytes(t);
        png.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        png.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
