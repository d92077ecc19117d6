package wgan.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The project folder that holds config/ and data/sample: WGAN_HOME if set (scripts/wgan sets it),
 * else the folder above target/ where the jar or classes live, else the working directory.
 */
final class AppHome {
    private AppHome() {
    }

    static Path locate() {
        String env = System.getenv("WGAN_HOME");
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath().normalize();
        }
        try {
            Path code = Path.of(AppHome.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path p = code; p != null; p = p.getParent()) {
                if (Files.isDirectory(p.resolve("config")) && Files.isDirectory(p.resolve("src"))) {
                    return p;
                }
            }
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            // fall through to the working directory
        }
        return Path.of("").toAbsolutePath();
    }
}
