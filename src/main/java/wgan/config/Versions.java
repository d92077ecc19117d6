package wgan.config;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** wgan's and DL4J's versions, filled in by Maven at build time. */
public final class Versions {
    private static final Properties PROPERTIES = load();

    private Versions() {
    }

    public static String wgan() {
        return PROPERTIES.getProperty("wgan.version", "dev");
    }

    public static String dl4j() {
        return PROPERTIES.getProperty("dl4j.version", "unknown");
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = Versions.class.getResourceAsStream("/wgan-version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // versions are informational; a missing file leaves the defaults
        }
        return p;
    }
}
