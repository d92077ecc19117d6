package wgan.config;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** wgan's and DL4J's versions and the ND4J build the jar carries, filled in by Maven at build time. */
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

    /** The ND4J backend artifact the jar was built with: nd4j-native, or nd4j-cuda-11.6 with -Pcuda. */
    public static String nd4jBackend() {
        return PROPERTIES.getProperty("nd4j.backend", "nd4j-native");
    }

    /** Its native build, e.g. linux-x86_64-onednn. */
    public static String nd4jClassifier() {
        return PROPERTIES.getProperty("nd4j.classifier", "linux-x86_64-onednn");
    }

    /** The platform of its natives, e.g. linux-x86_64, macosx-arm64 (Maven's javacpp.platform); empty if unknown. */
    public static String nd4jPlatform() {
        return PROPERTIES.getProperty("nd4j.platform", "");
    }

    /** The JavaCPP platform extension that selects that native build ("-onednn", "-cudnn"). */
    public static String nd4jExtension() {
        return PROPERTIES.getProperty("nd4j.extension", "-onednn");
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
