package wgan.io;

import wgan.files.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import java.util.List;
import java.util.stream.Stream;

/**
 * The checkpoints folder of a run: state.zip and generator.zip are always the latest; each
 * epoch also keeps epoch-NNNN-state.zip and epoch-NNNN-generator.zip (the latest names are hard
 * links to them, so an epoch's checkpoint is written once: damage to state.zip is damage to the
 * newest epoch's file too). Every file is replaced atomically:
 * a crash at any instant leaves the previous complete checkpoint in place.
 *
 * <p>Retention: every epoch's generator is kept (a statefarm-64 one is 14 MB; users pick the
 * best epoch with wgan eval), while states (50 MB, needed only to resume) are pruned to the
 * newest keepStates per-epoch ones. A long run kept every state before: 3.3 GB for 357 epochs
 * of 32x32.
 */
public final class CheckpointFiles {
    public static final String STATE = "state.zip";
    public static final String GENERATOR = "generator.zip";

    private final Path dir;
    private final int keepStates;

    /** @param keepStates how many per-epoch states to keep, newest first; 0 keeps all */
    public CheckpointFiles(Path dir, int keepStates) {
        this.dir = dir;
        this.keepStates = keepStates;
    }

    public Path state() {
        return dir.resolve(STATE);
    }

    public Path generator() {
        return dir.resolve(GENERATOR);
    }

    /** Writes state then generator; with epoch > 0 also as that epoch's snapshot. */
    public void save(AtomicFiles.Writer state, AtomicFiles.Writer generator, int epoch) throws IOException {
        if (epoch <= 0) {
            AtomicFiles.write(state(), state);
            AtomicFiles.write(generator(), generator);
            return;
        }
        Path epochState = dir.resolve(String.format("epoch-%04d-state.zip", epoch));
        Path epochGenerator = dir.resolve(String.format("epoch-%04d-generator.zip", epoch));
        AtomicFiles.write(epochState, state);
        AtomicFiles.write(epochGenerator, generator);
        replaceWithLink(state(), epochState);
        replaceWithLink(generator(), epochGenerator);
        pruneEpochStates();
    }

    /** Atomically makes target another name of source (a copy where links are not supported). */
    private static void replaceWithLink(Path target, Path source) throws IOException {
        AtomicFiles.write(target, temp -> {
            Files.deleteIfExists(temp);
            try {
                Files.createLink(temp, source);
            } catch (UnsupportedOperationException | IOException e) {
                Files.copy(source, temp);
            }
        });
    }

    /** The per-epoch states, oldest first. */
    public List<Path> epochStates() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches("epoch-\\d{4,}-state\\.zip"))
                    .sorted().toList();
        }
    }

    /** Older per-epoch states go; every generator stays (state.zip, a link or a copy, stays too). */
    private void pruneEpochStates() throws IOException {
        if (keepStates <= 0) {
            return;
        }
        List<Path> states = epochStates();
        for (int i = 0; i < states.size() - keepStates; i++) {
            Files.deleteIfExists(states.get(i));
        }
    }

}
