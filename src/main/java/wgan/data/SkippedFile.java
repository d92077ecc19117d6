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

    /**
     * "path: reason" for a console line; control characters in the name (a newline, a tab) are
     * shown escaped so that one file stays one line. The run's skipped.txt keeps the exact name.
     */
    @Override
    public String toString() {
        return printable(path.toString()) + ": " + (kind == Kind.WARNING ? "used, with a decoder warning: " : "") + reason;
    }

    /** The name with control characters as \n, \t, \r or \\uXXXX, and backslashes doubled. */
    public static String printable(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (Character.isISOControl(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
