package wgan.backend;

import wgan.config.InputException;

import java.util.Locale;

/**
 * The jar carries ND4J's natives for one platform (pom.xml: javacpp.platform, which scripts/wgan
 * sets to the machine it builds on). A jar copied to another kind of machine, or built there with
 * a bare mvn (.mvn/maven.config pins linux-x86_64), would fail deep inside ND4J with a stack trace;
 * this says so in one line, with the command that builds the right one.
 */
public final class NativePlatform {
    private NativePlatform() {
    }

    /**
     * JavaCPP's name for a JVM's os.name and os.arch, for the platforms wgan builds for; null for
     * any other (JavaCPP then speaks for itself).
     */
    public static String of(String osName, String osArch) {
        String os = osName.toLowerCase(Locale.ROOT);
        String arch = osArch.toLowerCase(Locale.ROOT);
        boolean x64 = arch.equals("amd64") || arch.equals("x86_64") || arch.equals("x86-64");
        boolean arm64 = arch.equals("aarch64") || arch.equals("arm64");
        if (os.startsWith("linux")) {
            return x64 ? "linux-x86_64" : arm64 ? "linux-arm64" : null;
        }
        if (os.startsWith("mac") || os.startsWith("darwin")) {
            return x64 ? "macosx-x86_64" : arm64 ? "macosx-arm64" : null;
        }
        if (os.startsWith("windows")) {
            return x64 ? "windows-x86_64" : null;
        }
        return null;
    }

    /** Refuses in one line when the jar's natives are another platform's than this machine's. */
    public static void requireMatches(String jarPlatform, String osName, String osArch) {
        String machine = of(osName, osArch);
        if (machine == null || jarPlatform == null || jarPlatform.isEmpty() || machine.equals(jarPlatform)) {
            return;
        }
        throw new InputException("this build of wgan carries ND4J's native libraries for " + jarPlatform
                + ", but this machine is " + machine + ": build it here with WGAN_REBUILD=1 scripts/wgan ..."
                + " (or mvn -Djavacpp.platform=" + machine + " -DskipTests package)");
    }
}
