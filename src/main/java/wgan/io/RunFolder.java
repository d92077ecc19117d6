package wgan.io;

import wgan.config.InputException;
import wgan.data.SkippedFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;


/**
 * The folder of one training run:
 * <pre>
 *   options.json          every resolved option, seed, versions, backend
 *   metrics.jsonl         one line per generator iteration
 *   skipped.txt           files not used, with the reason
 *   samples/reals.png     64 training images
 *   samples/epoch-0001.png ... the same fixed noise, every epoch
 *   checkpoints/generator.zip   the latest generator (enough for wgan sample)
 *   checkpoints/state.zip       everything a resumed run needs
 * </pre>
 */
public final class RunFolder {
    private final Path root;

    private RunFolder(Path root) {
        this.root = root;
    }

    /** Creates a new run folder; refuses one that already holds a run, so no run is overwritten. */
    public static RunFolder createNew(Path root) {
        if (Files.exists(root.resolve("options.json"))) {
            throw new InputException("run folder " + root + " already holds a run; choose another --out");
        }
        try {
            Files.createDirectories(root.resolve("samples"));
            Files.createDirectories(root.resolve("checkpoints"));
        } catch (IOException e) {
            throw new InputException("cannot create run folder " + root + " (" + e.getClass().getSimpleName()
                    + ": " + e.getMessage() + "); choose a writable --out", e);
        }
        if (!Files.isWritable(root)) {
            throw new InputException("run folder " + root + " is not writable; choose a writable --out");
        }
        return new RunFolder(root);
    }

    public Path root() {
        return root;
    }

    public Path metrics() {
        return root.resolve("metrics.jsonl");
    }

    public Path generatorCheckpoint() {
        return root.resolve("checkpoints").resolve("generator.zip");
    }

    public Path stateCheckpoint() {
        return root.resolve("checkpoints").resolve("state.zip");
    }

    public Path realsGrid() {
        return root.resolve("samples").resolve("reals.png");
    }

    public Path epochGrid(int epoch) {
        return root.resolve("samples").resolve(String.format("epoch-%04d.png", epoch));
    }

    public void writeOptions(Map<String, Object> options) throws IOException {
        AtomicFiles.writeString(root.resolve("options.json"), Json.pretty(options));
    }

    public void writeSkipped(List<SkippedFile> skipped) throws IOException {
        String text = skipped.stream().map(SkippedFile::toString).map(s -> s + "\n").collect(Collectors.joining());
        AtomicFiles.writeString(root.resolve("skipped.txt"), text);
    }

    /** Default run folder name: runs/yyyyMMdd-HHmmss-datafolder. */
    public static Path defaultLocation(Path runsDir, Path data, java.time.LocalDateTime now) {
        String stamp = now.format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path name = data.toAbsolutePath().normalize().getFileName();
        String dataName = name == null ? "data" : name.toString().replaceAll("[^A-Za-z0-9._-]", "_");
        return runsDir.resolve(stamp + "-" + dataName);
    }

}
