package wgan.files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AtomicFilesTest {
    @Test
    void failedWriteLeavesThePreviousFileAndNoTemporary(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("state.zip");
        AtomicFiles.writeString(target, "good");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, file -> {
            Files.writeString(file, "half");
            throw new IOException("No space left on device");
        }));
        assertTrue(e.getMessage().contains(target.toString()), e.getMessage());
        assertEquals("good", Files.readString(target));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "only the target remains");
        }
    }
}
