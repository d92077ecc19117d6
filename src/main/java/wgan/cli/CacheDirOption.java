package wgan.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;

/** --cache-dir DIR, where prepared images are kept (train, prepare, eval; @Mixin). */
final class CacheDirOption {
    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "Where prepared images are kept (default: $XDG_CACHE_HOME/wgan, else $HOME/.cache/wgan).")
    Path dir;

    /** The folder given, or the default for this environment. */
    Path resolve() {
        return dir != null ? dir : defaultDir(System.getenv());
    }

    /**
     * As the XDG base directory rules say and other command-line tools do: $XDG_CACHE_HOME (ignored
     * when relative), else $HOME/.cache. Java's user.home comes from the password database, not
     * from $HOME, so it is only the last resort where HOME is unset.
     */
    static Path defaultDir(Map<String, String> env) {
        String xdg = env.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isEmpty() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg).resolve("wgan");
        }
        String home = env.get("HOME");
        Path base = home != null && !home.isEmpty() ? Path.of(home) : Path.of(System.getProperty("user.home"));
        return base.resolve(".cache").resolve("wgan");
    }
}
