package wgan.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wgan.TestImages;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A second run reads the cache; any change to the folder or damage to the file rebuilds it. */
class ImageCacheTest {
    private static final int SIZE = 16;

    @TempDir
    Path tmp;
    private final List<String> notes = new ArrayList<>();

    private ImageLoader.Prepared prepare(Path data) {
        return ImageLoader.prepare(data, SIZE, 3, tmp.resolve("cache"), notes::add);
    }

    @Test
    void secondRunReadsTheSameImagesAndSkipsFromTheCache() throws Exception {
        Path data = photos(5);
        Files.writeString(data.resolve("c0/broken.jpg"), "not a photo");
        ImageLoader.Prepared first = prepare(data);
        ImageLoader.Prepared second = prepare(data);

        assertFalse(first.fromCache());
        assertTrue(second.fromCache());
        assertEquals(first.cacheFile(), second.cacheFile());
        assertEquals(5, second.images().count());
        assertEquals(first.images().skipped(), second.images().skipped());
        assertArrayEquals(allPixels(first.images()), allPixels(second.images()));
        assertEquals(List.of(), notes);
    }

    @Test
    void addedRemovedOrTouchedFileRebuilds() throws Exception {
        Path data = photos(4);
        prepare(data);
        TestImages.writeTree(data.resolve("new"), 1, 1, 40, 30, 9);
        ImageLoader.Prepared added = prepare(data);
        assertFalse(added.fromCache());
        assertEquals(5, added.images().count());

        Path one = data.resolve("c0/img_0.jpg");
        Files.setLastModifiedTime(one, FileTime.fromMillis(Files.getLastModifiedTime(one).toMillis() + 2000));
        assertFalse(prepare(data).fromCache(), "touched");

        Files.delete(one);
        ImageLoader.Prepared removed = prepare(data);
        assertFalse(removed.fromCache());
        assertEquals(4, removed.images().count());
        assertTrue(prepare(data).fromCache());
        assertEquals(List.of(), notes);
    }

    @Test
    void otherSizeOrChannelsHasItsOwnCache() throws Exception {
        Path data = photos(2);
        ImageLoader.Prepared colour = prepare(data);
        ImageLoader.Prepared gray = ImageLoader.prepare(data, SIZE, 1, tmp.resolve("cache"), notes::add);
        assertFalse(gray.fromCache());
        assertFalse(colour.cacheFile().equals(gray.cacheFile()));
        assertTrue(prepare(data).fromCache());
    }

    @Test
    void truncatedCacheIsRebuiltWithANote() throws Exception {
        Path data = photos(3);
        Path file = prepare(data).cacheFile();
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(raf.length() / 2);
        }
        assertRebuiltOnce(data, "truncated");
    }

    @Test
    void damagedCacheIsRebuiltWithANote() throws Exception {
        Path data = photos(3);
        Path file = prepare(data).cacheFile();
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 100] ^= 0x55; // a pixel
        Files.write(file, bytes);
        assertRebuiltOnce(data, "checksum mismatch");
    }

    @Test
    void foreignFileInTheCachePlaceIsRebuiltWithANote() throws Exception {
        Path data = photos(3);
        Files.writeString(prepare(data).cacheFile(), "something else");
        assertRebuiltOnce(data, "not a wgan image cache");
    }

    @Test
    void unwritableCacheFolderOnlyCostsTheCache() throws Exception {
        Path data = photos(2);
        Files.writeString(tmp.resolve("cache"), "a file where the cache folder should be");
        assertEquals(2, prepare(data).images().count());
        assertEquals(1, notes.size(), notes.toString());
        assertTrue(notes.get(0).startsWith("cannot write image cache"), notes.get(0));
    }

    @Test
    void imagesCrossingAChunkBoundaryAreFilledFromTheRightPlace() {
        int size = 128;
        int imageBytes = size * size * 3;
        int perChunk = ImageSet.CHUNK_BYTES / imageBytes;
        ImageSet.Pixels pixels = new ImageSet.Pixels(perChunk + 2, size, 3);
        byte[] image = new byte[imageBytes];
        for (int i : new int[]{perChunk - 1, perChunk, perChunk + 1}) {
            java.util.Arrays.fill(image, (byte) i);
            pixels.put(i, image);
        }
        pixels.move(perChunk + 1, 0); // as a skipped file's gap is closed
        ImageSet set = new ImageSet(tmp, pixels, perChunk + 2, List.of(), List.of(), List.of("c0"),
                new int[perChunk + 2]);
        float[] out = new float[3 * imageBytes];
        set.fill(new int[]{perChunk - 1, perChunk, 0}, 0, 3, out);
        int[] expected = {(perChunk - 1) & 0xFF, perChunk & 0xFF, (perChunk + 1) & 0xFF};
        for (int k = 0; k < 3; k++) {
            assertEquals(expected[k] / 127.5f - 1f, out[k * imageBytes], "image " + k + " first pixel");
            assertEquals(expected[k] / 127.5f - 1f, out[(k + 1) * imageBytes - 1], "image " + k + " last pixel");
        }
    }

    private void assertRebuiltOnce(Path data, String why) {
        ImageLoader.Prepared rebuilt = prepare(data);
        assertFalse(rebuilt.fromCache());
        assertEquals(3, rebuilt.images().count());
        assertEquals(1, notes.size(), notes.toString());
        assertTrue(notes.get(0).contains("unusable (" + why + ")"), notes.get(0));
        assertTrue(prepare(data).fromCache(), "the rebuilt cache is good");
    }

    private Path photos(int count) throws Exception {
        Path data = tmp.resolve("data");
        TestImages.writeTree(data, count, 2, 40, 30, 1);
        return data;
    }

    private static float[] allPixels(ImageSet images) {
        int[] order = java.util.stream.IntStream.range(0, images.count()).toArray();
        float[] out = new float[images.count() * images.pixelsPerImage()];
        images.fill(order, 0, images.count(), out);
        return out;
    }
}
