package wgan.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wgan.TestImages;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** wgan prepare builds the cache that wgan train then reads; a bad file is skipped, named, and training goes on. */
class PrepareCommandTest {

    @Test
    void prepareThenTrainUsesTheCacheAndListsSkippedFiles(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("imgs");
        TestImages.writeTree(data, 8, 2, 40, 30, 1);
        Files.writeString(data.resolve("c1/fake.jpg"), "text named .jpg");
        String cache = tmp.resolve("cache").toString();

        CliRunner.Run prepare = CliRunner.run("prepare", "--data", data.toString(), "--image-size", "16",
                "--cache-dir", cache);
        assertEquals(0, prepare.exitCode(), prepare.err());
        assertTrue(prepare.out().contains("images: 8 used, 1 skipped"), prepare.out());
        assertTrue(prepare.out().contains("decoded in"), prepare.out());
        assertTrue(prepare.out().contains("image cache written: " + cache), prepare.out());
        assertTrue(prepare.out().contains("skipped: " + data.resolve("c1/fake.jpg") + ": not a decodable image"),
                prepare.out());

        Path run = tmp.resolve("run");
        CliRunner.Run train = CliRunner.run("train", "--data", data.toString(), "--image-size", "16", "--epochs", "1",
                "--batch-size", "4", "--ngf", "4", "--ndf", "4", "--seed", "1", "--out", run.toString(),
                "--cache-dir", cache);
        assertEquals(0, train.exitCode(), train.err());
        assertTrue(train.out().contains("images: 8 used, 1 skipped (see skipped.txt), read from the cache"),
                train.out());
        // one JSON object per line (README "What a run writes")
        assertEquals("{\"path\":\"" + data.resolve("c1/fake.jpg") + "\",\"reason\":\"not a decodable image\"}\n",
                Files.readString(run.resolve("skipped.txt")));
    }

    @Test
    void badImageShapeIsAUsageError(@TempDir Path tmp) {
        CliRunner.Run run = CliRunner.run("prepare", "--data", tmp.toString(), "--image-size", "48");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("power of two"), run.err());
    }
}
