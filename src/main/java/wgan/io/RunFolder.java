package wgan.io;

import wgan.files.AtomicFiles;
import wgan.config.InputException;
import wgan.data.SkippedFile;
import wgan.files.FileErrors;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.StandardOpenOption;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;


/**
 * The folder of one training run:
 * <pre>
 *   options.json          every resolved option, seed, versions, backend
 *   metrics.jsonl         one line per generator iteration
 *   .wgan-run             marks a folder wgan created for a run
 *   skipped.txt           files not used, with the reason, one JSON object per line
 *   samples/reals.png     64 training images
 *   samples/epoch-0001.png ... the same fixed noise, every epoch
 *   checkpoints/generator.zip   the latest generator (enough for wgan sample)
 *   checkpoints/state.zip       everything a resumed run needs
 * </pre>
 */
public final class RunFolder {
    /**
     * Left in every run folder wgan creates (and by scripts/batch-train.sh in the folder it makes for
     * one): wgan train --out writes only into a new or empty folder, or one that carries this.
     */
    public static final String MARKER = ".wgan-run";
    /** What wgan train writes into a run folder; a marked folder holding none of them has no run yet. */
    private static final List<String> RUN_FILES =
            List.of("options.json", "metrics.jsonl", "skipped.txt", "report.html", "samples", "checkpoints");

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

    /**
     * Refuses a --out that wgan must not write into, before any work is done: an existing folder
     * that is not empty (unless wgan made it for a run that has not started), a file, a folder
     * inside the data folder (the next run would train on this one's grids), or a data folder
     * inside a run folder.
     */
    public static void checkNewLocation(Path root, Path data) {
        if (Files.exists(root, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(root)) {
            throw new InputException("--out " + root + " is a file, not a folder; give the name of a new folder");
        }
        if (Files.isDirectory(data)) {
            Path realData = realPath(data);
            Path realRoot = realPath(root);
            if (realRoot.startsWith(realData)) {
                throw new InputException("--out " + root + " is inside --data " + data + ": the next run on that data"
                        + " would train on this run's sample grids; choose an --out outside it");
            }
            for (Path p = realData; p != null; p = p.getParent()) {
                if (Files.exists(p.resolve(MARKER)) || holdsRun(p)) {
                    throw new InputException("--data " + data + " is " + (p.equals(realData) ? "" : "inside ")
                            + "the run folder " + p + ": that is a run's"
                            + " output, not photos; give --data a folder of images");
                }
            }
        }
        if (Files.isDirectory(root) && !takeable(root)) {
            if (Files.exists(root.resolve("checkpoints").resolve(CheckpointFiles.STATE))) {
                throw new InputException("--out " + root + " already holds a run; continue it with wgan train --resume "
                        + root + ", or choose another --out name");
            }
            if (Files.exists(root.resolve(MARKER)) || Files.exists(root.resolve("options.json"))
                    || Files.exists(root.resolve("checkpoints")) || Files.exists(root.resolve("metrics.jsonl"))) {
                throw new InputException("--out " + root + " already holds a run that has no checkpoint to resume"
                        + " from; choose another --out name");
            }
            throw new InputException("--out " + root + " is a folder that already holds files; wgan train writes only"
                    + " into a new or empty folder: choose another --out name");
        }
    }

    /**
     * Creates the folder of a new run (or takes an empty one) and marks it as wgan's. Refuses as
     * {@link #checkNewLocation} does; a folder that cannot be created is an output error.
     */
    public static RunFolder createNew(Path root, Path data) throws IOException {
        checkNewLocation(root, data);
        try {
            Files.createDirectories(root);
            Files.writeString(root.resolve(MARKER), "a wgan train run folder\n");
            Files.createDirectories(root.resolve("samples"));
            Files.createDirectories(root.resolve("checkpoints"));
        } catch (IOException e) {
            throw new IOException("cannot create run folder " + root + " (" + FileErrors.describe(e)
                    + "); choose a writable --out", e);
        }
        return new RunFolder(root);
    }

    /** Empty, or made by wgan (the marker) and holding none of a run's files yet. */
    private static boolean takeable(Path root) {
        try (Stream<Path> entries = Files.list(root)) {
            List<String> names = entries.map(p -> p.getFileName().toString()).toList();
            if (names.isEmpty()) {
                return true;
            }
            return names.contains(MARKER) && RUN_FILES.stream().noneMatch(names::contains);
        } catch (IOException e) {
            return false; // unreadable: not ours to write into
        }
    }

    /** A folder wgan train wrote a run into: its checkpoints folder beside its options or metrics. */
    private static boolean holdsRun(Path dir) {
        return Files.isDirectory(dir.resolve("checkpoints"))
                && (Files.exists(dir.resolve("options.json")) || Files.exists(dir.resolve("metrics.jsonl")));
    }

    /** The real path of the longest existing prefix, with the rest of the names appended. */
    private static Path realPath(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return absolute;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(absolute));
        } catch (IOException e) {
            return absolute;
        }
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
            throw new InputException("cannot lock run folder " + root + ": " + FileErrors.describe(e), e);
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

    /** One JSON object per line, {"path":...,"reason":...}: any file name survives, a newline in it too. */
    public void writeSkipped(List<SkippedFile> skipped) throws IOException {
        String text = skipped.stream().map(s -> {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("path", s.path().toString());
            line.put("reason", s.reason());
            if (s.kind() == SkippedFile.Kind.WARNING) {
                line.put("used", true); // kept for training although its decoder complained
            }
            return Json.line(line) + "\n";
        }).collect(Collectors.joining());
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
