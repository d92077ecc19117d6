package wgan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wgan.TestImages;
import wgan.io.Json;
import wgan.io.RunFolder;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14, "nothing lost, nothing hidden": the hostile cases, each through the real CLI. One small
 * run is trained once, into an empty folder the test made, on photos mixed with odd files (a name
 * with a newline, a dangling link, a named pipe, a link to a device); the cases that need a run work
 * on copies of it (cp -a, which keeps hard links).
 */
class HostileCasesTest {
    /** A Java class name in a message: FileSystemException, java.nio..., NoSuchFileException. */
    private static final Pattern CLASS_NAME = Pattern.compile("[A-Z][A-Za-z]*Exception|java\\.[a-z]+\\.");

    @TempDir
    static Path shared;
    static Path data;
    static Path run;
    static Path cache;
    static CliRunner.Run trained;

    @BeforeAll
    static void trainOneSmallRun() throws Exception {
        data = shared.resolve("photos");
        TestImages.writeTree(data, 16, 2, 30, 30, 1);
        Files.writeString(data.resolve("bad\nname.jpg"), "text named .jpg, with a newline in its name");
        Files.writeString(data.resolve("tab\tname.txt"), "a tab in the name");
        Files.createSymbolicLink(data.resolve("dangling.jpg"), shared.resolve("nowhere.jpg"));
        Files.createSymbolicLink(data.resolve("null.jpg"), Path.of("/dev/null"));
        assertEquals(0, new ProcessBuilder("mkfifo", data.resolve("pipe.jpg").toString()).start().waitFor());
        cache = shared.resolve("cache");
        run = shared.resolve("run");
        Files.createDirectories(run); // an empty folder is taken
        trained = CliRunner.run(trainArgs(data, run, "--epochs", "2", "--keep", "2")); // both epochs' states, for case 10
        assertEquals(0, trained.exitCode(), trained.out() + trained.err());
        RunFolder.releaseLocks();
    }

    @AfterEach
    void releaseLocks() throws IOException {
        RunFolder.releaseLocks(); // every in-process wgan train holds its run's lock until the JVM ends
    }

    private static String[] trainArgs(Path data, Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("train", "--data", data.toString(), "--out", out.toString(),
                "--image-size", "16", "--batch-size", "8", "--nz", "16", "--ngf", "8", "--ndf", "8", "--seed", "1",
                "--eval-every", "0", "--cache-dir", cache.toString()));
        args.addAll(List.of(more));
        return args.toArray(new String[0]);
    }

    /** One line on stderr (after the backend line), the exit code, no stack trace, no class name. */
    private static String errorLine(CliRunner.Run r, int exitCode) {
        assertEquals(exitCode, r.exitCode(), r.out() + r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        assertFalse(CLASS_NAME.matcher(r.err()).find(), "no Java class names: " + r.err());
        String[] lines = r.err().strip().split("\n");
        return lines[lines.length - 1];
    }

    /** Every file under a folder with its size and modification time, to see that nothing changed. */
    private static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.toList()) {
                files.put(root.relativize(p).toString(), Files.isDirectory(p) ? "dir"
                        : Files.size(p) + " " + Files.getLastModifiedTime(p).toMillis() + " "
                        + Arrays.hashCode(Files.readAllBytes(p)));
            }
        }
        return files;
    }

    private static Path copyOfRun(Path to) throws Exception {
        assertEquals(0, new ProcessBuilder("cp", "-a", run.toString(), to.toString()).start().waitFor());
        return to;
    }

    /** skipped.txt as path -> reason; every line must be one JSON object. */
    private static Map<String, String> skippedTxt(Path runDir) throws IOException {
        Map<String, String> reasons = new LinkedHashMap<>();
        for (String line : Files.readAllLines(runDir.resolve("skipped.txt"))) {
            JsonNode entry = Json.parse(line);
            reasons.put(entry.get("path").asText(), entry.get("reason").asText());
        }
        return reasons;
    }

    // 1. --out an existing folder that is not a run: refused, nothing in it touched

    @Test
    void outFolderHoldingSomeoneElsesFilesIsRefusedAndLeftAlone(@TempDir Path tmp) throws Exception {
        Path mine = tmp.resolve("my-folder");
        Files.createDirectories(mine.resolve("samples"));
        Files.writeString(mine.resolve("report.html"), "<p>my report</p>");
        Files.writeString(mine.resolve("metrics.jsonl"), "{\"mine\":1}\n");
        Files.write(mine.resolve("samples/reals.png"), new byte[]{1, 2, 3});
        Map<String, String> before = snapshot(mine);

        String line = errorLine(CliRunner.run(trainArgs(data, mine)), 2);
        assertTrue(line.contains("--out " + mine) && line.contains("choose another --out"), line);
        assertEquals(before, snapshot(mine), "nothing written into a folder wgan did not create");
    }

    @Test
    void anEmptyFolderIsTakenAndMarkedAsARunFolder() {
        assertTrue(Files.isRegularFile(run.resolve(RunFolder.MARKER)), "the marker");
        assertTrue(Files.isRegularFile(run.resolve("checkpoints/state.zip")));
    }

    // 2. --out a run whose options.json is gone: refused, pointing at --resume

    @Test
    void runWithoutOptionsIsRefusedWithTheResumeCommand(@TempDir Path tmp) throws Exception {
        Path copy = copyOfRun(tmp.resolve("run"));
        Files.delete(copy.resolve("options.json"));
        Map<String, String> before = snapshot(copy);

        String line = errorLine(CliRunner.run(trainArgs(data, copy)), 2);
        assertTrue(line.contains("wgan train --resume " + copy), line);
        assertEquals(before, snapshot(copy), "checkpoints, metrics and report untouched");
    }

    // 3. run folders and data folders do not nest

    @Test
    void outInsideDataIsRefused(@TempDir Path tmp) throws Exception {
        Path photos = tmp.resolve("photos");
        TestImages.writeTree(photos, 4, 1, 30, 30, 2);
        String line = errorLine(CliRunner.run(trainArgs(photos, photos.resolve("runs/r1"))), 2);
        assertTrue(line.contains("is inside --data"), line);
        assertFalse(Files.exists(photos.resolve("runs")), "nothing created");
    }

    @Test
    void dataInsideARunFolderIsRefused(@TempDir Path tmp) {
        String line = errorLine(CliRunner.run(trainArgs(run.resolve("samples"), tmp.resolve("r"))), 2);
        assertTrue(line.contains("inside the run folder " + run.toAbsolutePath()), line);
    }

    @Test
    void aRunFolderInsideTheDataIsLeftOutOfTheScanAndSaidSo(@TempDir Path tmp) throws Exception {
        Path photos = tmp.resolve("photos");
        TestImages.writeTree(photos, 8, 2, 30, 30, 3);
        copyOfRun(photos.resolve("old-run")); // e.g. written there before wgan refused it
        CliRunner.Run r = CliRunner.run("prepare", "--data", photos.toString(), "--image-size", "16",
                "--cache-dir", cache.toString());
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("images: 8 used, 1 skipped"), r.out());
        assertTrue(r.out().contains("skipped: " + photos.resolve("old-run") + ": a wgan run folder, not searched"),
                r.out());
    }

    // 5. skipped.txt: any file name survives

    @Test
    void skippedTxtKeepsNamesWithNewlinesAndTabs() throws Exception {
        Map<String, String> skipped = skippedTxt(run);
        assertTrue(skipped.containsKey(data.resolve("bad\nname.jpg").toString()), skipped.toString());
        assertTrue(skipped.containsKey(data.resolve("tab\tname.txt").toString()), skipped.toString());
        assertEquals(5, skipped.size(), skipped.toString());
        assertTrue(trained.out().contains("images: 16 used, 5 skipped (see skipped.txt)"), trained.out());
    }

    // 6. links and special files say what they are

    @Test
    void danglingLinksAndSpecialFilesAreNamedForWhatTheyAre() throws Exception {
        Map<String, String> skipped = skippedTxt(run);
        assertEquals("broken symbolic link", skipped.get(data.resolve("dangling.jpg").toString()), skipped.toString());
        assertEquals("not a regular file: named pipe", skipped.get(data.resolve("pipe.jpg").toString()),
                skipped.toString());
        assertEquals("not a regular file: character device", skipped.get(data.resolve("null.jpg").toString()),
                skipped.toString());
    }

    // 7. unwritable places: exit 4 as README's table says, and no Java class names

    @Test
    void outUnderProcOrSysIsAnOutputErrorInPlainWords(@TempDir Path tmp) {
        for (String place : List.of("/proc", "/sys")) {
            Assumptions.assumeTrue(Files.isDirectory(Path.of(place)), place + " exists on Linux");
            Path out = Path.of(place, "wgan-hostile-test", "run");
            String line = errorLine(CliRunner.run(trainArgs(data, out)), 4);
            assertTrue(line.startsWith("wgan: cannot write output: cannot create run folder " + out), line);
            assertTrue(line.contains("choose a writable --out"), line);
        }
    }

    @Test
    void unwritableCacheDirIsANoteInPlainWords() {
        Path cacheDir = Path.of("/proc", "wgan-hostile-cache");
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc")), "/proc exists on Linux");
        CliRunner.Run r = CliRunner.run("prepare", "--data", data.toString(), "--image-size", "16",
                "--cache-dir", cacheDir.toString());
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("note: cannot write image cache " + cacheDir), r.out());
        assertFalse(CLASS_NAME.matcher(r.out()).find(), "no Java class names: " + r.out());
        assertFalse(r.out().contains("image cache written"), "no claim that it was written: " + r.out());
    }

    // 8. --checkpoint a folder

    @Test
    void checkpointFolderIsCalledAFolderAndTheFileToGiveIsNamed(@TempDir Path tmp) {
        String line = errorLine(CliRunner.run("sample", "--checkpoint", run.toString(), "--out",
                tmp.resolve("g.png").toString()), 2);
        assertTrue(line.contains(run + " is a folder") && line.contains(run.resolve("checkpoints/generator.zip")
                .toString()), line);
        line = errorLine(CliRunner.run("eval", "--checkpoint", run.resolve("checkpoints").toString(), "--data",
                data.toString(), "--cache-dir", cache.toString()), 2);
        assertTrue(line.contains("is a folder") && line.contains(run.resolve("checkpoints/generator.zip").toString()),
                line);
        line = errorLine(CliRunner.run("sample", "--checkpoint", tmp.toString()), 2);
        assertTrue(line.contains(tmp + " is a folder") && line.contains("generator.zip"), line);
        assertFalse(Files.exists(tmp.resolve("g.png")));
    }

    // 10. state.zip is the newest epoch's state: damage to it names the newest readable one, and the advice works

    @Test
    void damagedLatestStateNamesTheNewestReadableEpochStateAndItsAdviceWorks(@TempDir Path tmp) throws Exception {
        Path copy = copyOfRun(tmp.resolve("run"));
        Path state = copy.resolve("checkpoints/state.zip");
        assertTrue(Files.isSameFile(state, copy.resolve("checkpoints/epoch-0002-state.zip")), "hard links, as written");
        try (FileChannel f = FileChannel.open(state, StandardOpenOption.WRITE)) {
            f.truncate(1000); // damages epoch-0002-state.zip too: the same file
        }

        String line = errorLine(CliRunner.run("train", "--resume", copy.toString()), 2);
        assertTrue(line.contains("cannot read " + state), line);
        assertTrue(line.contains("the newest readable checkpoint is epoch-0001-state.zip"), line);
        Matcher cp = Pattern.compile("\\(cp (\\S+) (\\S+)\\)").matcher(line);
        assertTrue(cp.find(), line);
        assertEquals(copy.resolve("checkpoints/epoch-0001-state.zip").toString(), cp.group(1));
        assertEquals(state.toString(), cp.group(2));
        RunFolder.releaseLocks();

        assertEquals(0, new ProcessBuilder("cp", cp.group(1), cp.group(2)).start().waitFor());
        CliRunner.Run resumed = CliRunner.run("train", "--resume", copy.toString());
        assertEquals(0, resumed.exitCode(), resumed.out() + resumed.err());
        assertTrue(resumed.out().contains("done:"), resumed.out());
    }

    // the image cache follows $XDG_CACHE_HOME, then $HOME/.cache (not Java's user.home)

    @Test
    void defaultCacheFollowsXdgCacheHomeThenHome(@TempDir Path tmp) throws Exception {
        Path home = tmp.resolve("home");
        Files.createDirectories(home);
        assertCacheUnder(tmp, Map.of("HOME", home.toString(), "XDG_CACHE_HOME", ""), home.resolve(".cache/wgan"));
        assertCacheUnder(tmp, Map.of("HOME", home.toString(), "XDG_CACHE_HOME", "relative/is/ignored"),
                home.resolve(".cache/wgan"));
        Path xdg = tmp.resolve("xdg");
        assertCacheUnder(tmp, Map.of("HOME", home.toString(), "XDG_CACHE_HOME", xdg.toString()), xdg.resolve("wgan"));
    }

    private static void assertCacheUnder(Path tmp, Map<String, String> env, Path expected) throws Exception {
        Path log = Files.createTempFile(tmp, "prepare", ".log");
        WganProcess p = WganProcess.start(log, env, "prepare", "--data", data.toString(), "--image-size", "16");
        assertEquals(0, p.waitFor(Duration.ofMinutes(2)), p.output());
        String out = p.output();
        assertTrue(out.contains("image cache written: " + expected.resolve("photos-"))
                || out.contains("image cache: " + expected.resolve("photos-")), env + ": " + out);
        try (Stream<Path> files = Files.list(expected)) {
            assertEquals(1, files.filter(f -> f.toString().endsWith(".wgancache")).count(), out);
        }
    }
}
