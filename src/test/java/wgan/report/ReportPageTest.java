package wgan.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wgan.metrics.IterationRecord;
import wgan.metrics.MetricsLog;
import wgan.metrics.QualityProbe;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * report.html for a run folder the test makes (metrics written by MetricsLog, as training does),
 * then rendered by headless Chromium (Debian's chromium; CI installs it).
 */
class ReportPageTest {
    private static final int EPOCHS = 3;

    @Test
    void pageHasChartsSamplesAndOptions(@TempDir Path tmp) throws IOException {
        String html = Files.readString(ReportPage.write(makeRun(tmp)));
        assertEquals(3, count(html, "<svg "), "loss, SWD and speed charts");
        assertEquals(EPOCHS + 1, count(html, "<img "), "every epoch's grid and the reals");
        assertTrue(html.indexOf("epoch 3") < html.indexOf("epoch 1"), "latest first");
        assertTrue(html.contains("<th>model.image_size</th><td>16</td>"), "options");
        assertTrue(html.contains("real vs real"), "SWD floor");
        assertFalse(html.contains("<script") || html.contains("http://") && !html.contains("http://www.w3.org/2000/svg"),
                "self-contained: no script, nothing fetched");
    }

    @Test
    void rendersInHeadlessChromiumWithoutErrors(@TempDir Path tmp) throws Exception {
        Path chromium = chromium();
        assumeTrue(chromium != null, "chromium not installed: apt-get install -y chromium (CI installs it)");
        Path page = ReportPage.write(makeRun(tmp));

        Browser dom = runChromium(chromium, tmp, "--dump-dom", page.toUri().toString());
        assertEquals(0, dom.exitCode(), dom.stderr());
        assertEquals(3, count(dom.stdout(), "<svg "), "charts in the rendered DOM");
        assertTrue(count(dom.stdout(), "<polyline ") >= 6, "chart lines in the rendered DOM");
        assertFalse(dom.stderr().contains(":CONSOLE("), "console messages (script errors): " + dom.stderr());

        Path shot = tmp.resolve("phone.png");
        Browser screenshot = runChromium(chromium, tmp, "--screenshot=" + shot, "--window-size=390,1600",
                "--hide-scrollbars", page.toUri().toString());
        assertEquals(0, screenshot.exitCode(), screenshot.stderr());
        assertTrue(distinctColours(ImageIO.read(shot.toFile())) > 50, "a phone-sized screenshot is not blank");
    }

    private record Browser(int exitCode, String stdout, String stderr) {
    }

    private static Browser runChromium(Path chromium, Path tmp, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--enable-logging=stderr", "--v=0", "--user-data-dir=" + Files.createTempDirectory(tmp, "profile")));
        command.addAll(List.of(args));
        Path out = tmp.resolve("chromium.out");
        Path err = tmp.resolve("chromium.err");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) { // a hung browser must not hang the build
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish: " + command);
        }
        return new Browser(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private static Path chromium() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    /** A run folder like wgan train writes: options, metrics with SWD lines, sample grids. */
    static Path makeRun(Path tmp) throws IOException {
        Path run = tmp.resolve("run-1");
        Files.createDirectories(run.resolve("samples"));
        Files.writeString(run.resolve("options.json"), "{\"seed\": 5, \"epochs\": 3, \"model\": {\"image_size\": 16,"
                + " \"channels\": 3}, \"data\": \"/data/<photos>\"}\n");
        try (MetricsLog log = new MetricsLog(run.resolve("metrics.jsonl"))) {
            long genIter = 0;
            for (int epoch = 1; epoch <= EPOCHS; epoch++) {
                for (int i = 0; i < 40; i++) {
                    genIter++;
                    double w = 1.5 / Math.sqrt(genIter) + 0.05 * Math.sin(genIter);
                    log.write(new IterationRecord(epoch, genIter, 5, -w, 0.3 - 0.1 * Math.cos(genIter), 0.1, 0.1 + w,
                            0.5, 600 + 30 * Math.sin(genIter / 3.0), Double.NaN));
                }
                double swd = 40.0 / epoch;
                log.writeQuality(epoch, genIter, new QualityProbe.Result(64, new int[]{16}, new double[]{swd}, swd,
                        new double[]{3.0}, 3.0, 3, 0.2, 0.1), null);
                writePng(run.resolve(String.format("samples/epoch-%04d.png", epoch)), epoch);
            }
        }
        writePng(run.resolve("samples/reals.png"), 0);
        return run;
    }

    private static void writePng(Path file, int seed) throws IOException {
        BufferedImage image = new BufferedImage(146, 146, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 146; y++) {
            for (int x = 0; x < 146; x++) {
                image.setRGB(x, y, ((x * 7 + seed * 50) & 0xFF) << 16 | ((y * 5) & 0xFF) << 8 | ((x + y) & 0xFF));
            }
        }
        ImageIO.write(image, "png", file.toFile());
    }

    private static int count(String text, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static int distinctColours(BufferedImage image) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }
}
