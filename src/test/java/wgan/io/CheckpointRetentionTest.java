package wgan.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wgan.files.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a run's checkpoints folder keeps: every epoch's generator, the newest --keep states, the latest pair. */
class CheckpointRetentionTest {

    private static AtomicFiles.Writer bytes(String text) {
        return file -> Files.writeString(file, text);
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        }
    }

    private static void epochs(CheckpointFiles files, int n) throws IOException {
        for (int epoch = 1; epoch <= n; epoch++) {
            files.save(bytes("state " + epoch), bytes("generator " + epoch), 0); // a mid-epoch checkpoint
            files.save(bytes("state " + epoch), bytes("generator " + epoch), epoch);
        }
    }

    @Test
    void byDefaultEveryGeneratorAndOnlyTheNewestStateAreKept(@TempDir Path tmp) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("checkpoints"));
        epochs(new CheckpointFiles(dir, 1), 4);
        assertEquals(List.of("epoch-0001-generator.zip", "epoch-0002-generator.zip", "epoch-0003-generator.zip",
                "epoch-0004-generator.zip", "epoch-0004-state.zip", "generator.zip", "state.zip"), names(dir));
        assertEquals("generator 2", Files.readString(dir.resolve("epoch-0002-generator.zip")));
        assertEquals("state 4", Files.readString(dir.resolve("state.zip")));
        assertTrue(Files.isSameFile(dir.resolve("state.zip"), dir.resolve("epoch-0004-state.zip")),
                "the newest state costs no second copy");
    }

    @Test
    void keepNKeepsMoreStatesAndZeroKeepsAll(@TempDir Path tmp) throws IOException {
        Path three = Files.createDirectories(tmp.resolve("three"));
        epochs(new CheckpointFiles(three, 3), 5);
        assertEquals(List.of("epoch-0003-state.zip", "epoch-0004-state.zip", "epoch-0005-state.zip"),
                names(three).stream().filter(n -> n.endsWith("-state.zip")).toList());
        assertEquals(5, names(three).stream().filter(n -> n.matches("epoch-\\d+-generator.zip")).count());

        Path all = Files.createDirectories(tmp.resolve("all"));
        epochs(new CheckpointFiles(all, 0), 5);
        assertEquals(5, names(all).stream().filter(n -> n.matches("epoch-\\d+-state.zip")).count());
    }
}
