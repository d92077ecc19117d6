package wgan.data;

import java.nio.file.Path;

/** A file that was not used for training, and why. */
public record SkippedFile(Path path, String reason) {
    @Override
    public String toString() {
        return path + "\t" + reason;
    }
}
