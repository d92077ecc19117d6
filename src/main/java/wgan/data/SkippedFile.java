package wgan.data;

import java.nio.file.Path;

/**
 * A file that was not used for training, and why; or (kind {@link Kind#WARNING}) a file that was
 * used although its decoder complained, and what it said.
 */
public record SkippedFile(Path path, String reason, Kind kind) {
    public enum Kind { SKIPPED, WARNING }

    public SkippedFile(Path path, String reason) {
        this(path, reason, Kind.SKIPPED);
    }

    static SkippedFile warning(Path path, String message) {
        return new SkippedFile(path, message, Kind.WARNING);
    }

    @Override
    public String toString() {
        return path + "\t" + (kind == Kind.WARNING ? "used, with a decoder warning: " : "") + reason;
    }
}
