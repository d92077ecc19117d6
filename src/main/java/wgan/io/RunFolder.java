package wgan.io;

import wgan.files.AtomicFiles;
import wgan.config.InputException;
import wgan.data.SkippedFile;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.StandardOpenOption;
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

    /** An existing run folder, for --resume. */
    public static RunFolder existing(Path root) {
        if (!Files.isRegularFile(root.resolve("checkpoints").resolve(CheckpointFiles.STATE))) {
            throw new InputException("cannot resume " + root + ": it holds no checkpoints/state.zip"
                    + " (give the folder of a run started by wgan train)");
        }
        return new RunFolder(root);
    }

    /** Creates a new run folder; refuses one that already holds a run, so no run is overwritten. */
    public static RunFolder createNew(Path root) {
        if (Files.exists(root.resolve("options.json"))) {
            throw new InputException("run folder " + root + " already holds a run; continue it with"
                    + " --resume " + root + " or choose another --out");
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

    public CheckpointFiles checkpoints(int keepEpochs) {
        return new CheckpointFiles(root.resolve("checkpoints"), keepEpochs);
    }

    public Path generatorCheckpoint() {
        return root.resolve("checkpoints").resolve(CheckpointFiles.GENERATOR);
    }

    /**
     * Takes the run folder for this process. The lock is the operating system's, so a process
     * that dies (even by SIGKILL) leaves nothing stuck; it is held until the JVM exits.
     */
    public void lock() {
        Path lockFile = root.resolve(".lock");
        try {
            FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.READ);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                String holder = Files.readString(lockFile).strip();
                throw new InputException("run folder " + root + " is in use by another wgan train"
                        + (holder.isEmpty() ? "" : " (pid " + holder + ")") + "; wait for it or stop it first");
            }
            channel.truncate(0);
            channel.write(java.nio.ByteBuffer.wrap(String.valueOf(ProcessHandle.current().pid())
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            HELD_LOCKS.add(lock); // keep the channel open (and the lock held) for the process's life
        } catch (IOException e) {
            throw new InputException("cannot lock run folder " + root + ": " + e.getMessage(), e);
        }
    }

    private static final List<FileLock> HELD_LOCKS = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Releases this process's locks (tests run several trainings in one JVM). */
    public static void releaseLocks() throws IOException {
        for (FileLock lock : HELD_LOCKS) {
            lock.channel().close();
        }
        HELD_LOCKS.clear();
    }

    /**
     * Drops iteration lines past a checkpoint: a run killed after writing them repeats those
     * iterations when it resumes, and each iteration must appear once. Event lines (rollbacks)
     * are history and stay.
     */
    public void truncateMetricsAfter(long generatorIterations) throws IOException {
        Path metrics = metrics();
        if (!Files.exists(metrics)) {
            return;
        }
        List<String> kept = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(metrics)) {
            try {
                com.fasterxml.jackson.databind.JsonNode parsed = line.isBlank() ? null : Json.parse(line);
                if (parsed != null && (parsed.has("event") || parsed.path("gen_iter").asLong() <= generatorIterations)) {
                    kept.add(line);
                }
            } catch (IOException e) {
                // a line cut short by the kill: drop it
            }
        }
        AtomicFiles.writeString(metrics, kept.stream().map(l -> l + "\n").collect(Collectors.joining()));
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
