package wgan.backend;

import org.junit.jupiter.api.Test;
import wgan.config.InputException;
import wgan.config.Versions;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The jar's natives against the machine's platform, on made-up machines (JVM os.name / os.arch values). */
class NativePlatformTest {

    @Test
    void namesThePlatformsWganBuildsFor() {
        assertEquals("linux-x86_64", NativePlatform.of("Linux", "amd64"));
        assertEquals("linux-arm64", NativePlatform.of("Linux", "aarch64"));
        assertEquals("macosx-arm64", NativePlatform.of("Mac OS X", "aarch64"));
        assertEquals("macosx-x86_64", NativePlatform.of("Mac OS X", "x86_64"));
        assertEquals("windows-x86_64", NativePlatform.of("Windows 11", "amd64"));
        assertNull(NativePlatform.of("Linux", "ppc64le"));
        assertNull(NativePlatform.of("FreeBSD", "amd64"));
    }

    @Test
    void aJarBuiltForAnotherMachineIsRefusedInOneLineWithTheFix() {
        InputException e = assertThrows(InputException.class,
                () -> NativePlatform.requireMatches("linux-x86_64", "Mac OS X", "aarch64"));
        assertEquals("this build of wgan carries ND4J's native libraries for linux-x86_64, but this machine is"
                + " macosx-arm64: build it here with WGAN_REBUILD=1 scripts/wgan ... (or mvn"
                + " -Djavacpp.platform=macosx-arm64 -DskipTests package)", e.getMessage());
        assertDoesNotThrow(() -> NativePlatform.requireMatches("macosx-arm64", "Mac OS X", "aarch64"));
        assertDoesNotThrow(() -> NativePlatform.requireMatches("linux-x86_64", "Linux", "ppc64le"),
                "a machine wgan does not know: JavaCPP speaks for itself");
    }

    @Test
    void thisBuildCarriesThisMachinesNatives() {
        String machine = NativePlatform.of(System.getProperty("os.name"), System.getProperty("os.arch"));
        assertEquals(machine, Versions.nd4jPlatform(), "wgan-version.properties names javacpp.platform");
        assertTrue(Versions.nd4jClassifier().startsWith(machine), Versions.nd4jClassifier());
    }
}
