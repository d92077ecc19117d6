package wgan.report;

import com.fasterxml.jackson.databind.JsonNode;
import wgan.config.InputException;
import wgan.files.AtomicFiles;
import wgan.io.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * RUN_DIR/report.html: one page (inline CSS and SVG, no script) with the losses, SWD, speed, the
 * samples and the options of a run. The newest grids and the reals are embedded as data URIs;
 * older ones are linked by relative path (samples/epoch-NNNN.png), so the page opens offline from
 * the run folder and stays under 5 MB however long the run (an embedded gallery of a 185-epoch run
 * was 45 MB).
 */
public final class ReportPage {
    public static final String FILE = "report.html";
    private static final String BLUE = "#2563eb";
    private static final String ORANGE = "#ea580c";
    private static final String GREEN = "#059669";
    private static final String GREY = "#6b7280";

    /**
     * Sample grids embedded in the page, newest first, while their PNG bytes stay within this (the
     * page then stays under 5 MB: base64 adds a third, the charts are capped in points). A
     * statefarm-64 grid is ~0.6 MB, so the newest grids and the reals are embedded; a 128 px grid
     * can be ~2.5 MB, and what does not fit is linked.
     */
    static final long EMBED_BYTES = 2_500_000;
    /** At most this many grids embedded, the reals aside. */
    static final int EMBED_GRIDS = 3;
    /** Older grids are linked (samples/epoch-NNNN.png, relative: the page opens offline from the run folder), at most this many, evenly spaced over the run. */
    static final int TIMELINE_GRIDS = 100;

    private ReportPage() {
    }

    /**
     * report.html of a run being trained, rewritten every epoch: metrics.jsonl is read
     * incrementally and only the newest grids are read, so a write costs the same at epoch 1,000 as
     * at epoch 1.
     */
    public static final class Writer {
        private final Path runDir;
        private final RunHistory.Tail history;

        public Writer(Path runDir) {
            this.runDir = runDir;
            this.history = new RunHistory.Tail(runDir.resolve("metrics.jsonl"));
        }

        public Path write() throws IOException {
            Path page = runDir.resolve(FILE);
            AtomicFiles.writeString(page, html(runDir, history.read()));
            return page;
        }
    }

    /** Writes (or replaces) RUN_DIR/report.html and returns its path. */
    public static Path write(Path runDir) throws IOException {
        if (!Files.isRegularFile(runDir.resolve("metrics.jsonl")) && !Files.isRegularFile(runDir.resolve("options.json"))) {
            throw new InputException(runDir + " is not a wgan run folder (no metrics.jsonl or options.json);"
                    + " give a folder written by wgan train (runs/<run>)");
        }
        RunHistory history = RunHistory.read(runDir.resolve("metrics.jsonl"));
        Path page = runDir.resolve(FILE);
        AtomicFiles.writeString(page, html(runDir, history));
        return page;
    }

    static String html(Path runDir, RunHistory history) throws IOException {
        Path name = runDir.toAbsolutePath().normalize().getFileName();
        String title = "wgan run " + (name == null ? "" : name);
        StringBuilder body = new StringBuilder();
        body.append("<header><h1>").append(Html.escape(title)).append("</h1>")
                .append(summary(history)).append("</header>");
        body.append(section("Wasserstein estimate", "The critic's estimate -loss_d should fall as the generator"
                + " improves; loss_g = D(G(z)). Pale lines are per iteration, bold ones smoothed.", lossChart(history)));
        body.append(section("Image quality (SWD)", "Sliced Wasserstein distance x1000 between generated and real"
                + " images (lower is better); the dashed line is real vs real, the floor.", qualityChart(history)));
        body.append(section("Critic: training vs held-out images", "The critic's Wasserstein estimate against the"
                + " same fakes on training images and on images held out of training (--holdout); a gap that grows"
                + " means the critic overfits the training set.", criticChart(history)));
        body.append(section("Speed", "Real images the critic saw per second.", speedChart(history)));
        body.append(section("Samples", "The same fixed noise every epoch, latest first; older grids are linked"
                + " from the run's samples/ folder.", samples(runDir)));
        body.append(section("Classes", "Training images per class (the images' parent folders); " + (rowLabels(runDir)
                .isEmpty() ? "the generator is unconditional and sees them all alike."
                : "the run is conditional (--conditional): each fake is made for a class drawn with these frequencies."),
                classes(runDir)));
        body.append(section("Options", "", options(runDir)));
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>" + Html.escape(title) + "</title><style>" + CSS + "</style></head><body><main>"
                + body + "<footer>Written by wgan report.</footer></main></body></html>\n";
    }

    private static String summary(RunHistory h) {
        List<RunHistory.Iteration> its = h.iterations();
        List<String[]> cards = new ArrayList<>();
        if (!its.isEmpty()) {
            RunHistory.Iteration last = its.get(its.size() - 1);
            double[] w = smooth(values(its, i -> -i.lossD()));
            cards.add(new String[]{"epoch", String.valueOf(last.epoch())});
            cards.add(new String[]{"generator iterations", String.valueOf(last.genIter())});
            cards.add(new String[]{"Wasserstein estimate", number(w[w.length - 1])});
            cards.add(new String[]{"images/s", number(median(values(its, RunHistory.Iteration::imagesPerS)))});
            cards.add(new String[]{"training time", duration(its.stream().mapToDouble(RunHistory.Iteration::seconds).sum())});
        }
        if (!h.qualities().isEmpty()) {
            RunHistory.Quality q = h.qualities().get(h.qualities().size() - 1);
            cards.add(new String[]{"SWD (floor)", number(q.swd()) + " (" + number(q.floor()) + ")"});
        }
        StringBuilder html = new StringBuilder("<dl class=\"cards\">");
        for (String[] card : cards) {
            html.append("<div><dt>").append(card[0]).append("</dt><dd>").append(Html.escape(card[1])).append("</dd></div>");
        }
        return html.append("</dl>").toString();
    }

    private static String lossChart(RunHistory h) {
        List<RunHistory.Iteration> its = h.iterations();
        if (its.isEmpty()) {
            return empty("No iterations logged yet.");
        }
        double[] x = values(its, i -> i.genIter());
        double[] w = values(its, i -> -i.lossD());
        double[] g = values(its, RunHistory.Iteration::lossG);
        return new SvgChart("Wasserstein estimate and loss_g", "generator iteration")
                .add(new SvgChart.Series("-loss_d", BLUE, x, w, false, true))
                .add(new SvgChart.Series("loss_g", ORANGE, x, g, false, true))
                .add(new SvgChart.Series("Wasserstein estimate (-loss_d)", BLUE, x, smooth(w), false, false))
                .add(new SvgChart.Series("loss_g", ORANGE, x, smooth(g), false, false)).toSvg();
    }

    private static String qualityChart(RunHistory h) {
        List<RunHistory.Quality> qs = h.qualities();
        if (qs.isEmpty()) {
            return empty("No SWD logged yet: wgan train measures it every --eval-every epochs;"
                    + " wgan eval scores a checkpoint.");
        }
        double[] x = qs.stream().mapToDouble(RunHistory.Quality::epoch).toArray();
        String chart = new SvgChart("SWD over epochs", "epoch")
                .add(new SvgChart.Series("SWD mean", GREEN, x, qs.stream().mapToDouble(RunHistory.Quality::swd).toArray(),
                        false, false))
                .add(new SvgChart.Series("real vs real", GREY, x,
                        qs.stream().mapToDouble(RunHistory.Quality::floor).toArray(), true, false)).toSvg();
        return chart + levelTable(qs.get(qs.size() - 1));
    }

    private static String criticChart(RunHistory h) {
        List<RunHistory.Quality> qs = h.qualities().stream().filter(q -> !Double.isNaN(q.criticHeldOut())).toList();
        if (qs.isEmpty()) {
            return empty("Not logged: the run holds no images out (--holdout 0, or under 100 images).");
        }
        double[] x = qs.stream().mapToDouble(RunHistory.Quality::epoch).toArray();
        return new SvgChart("Critic's estimate, training vs held-out", "epoch")
                .add(new SvgChart.Series("training images", BLUE, x,
                        qs.stream().mapToDouble(RunHistory.Quality::criticTrain).toArray(), false, false))
                .add(new SvgChart.Series("held-out images", ORANGE, x,
                        qs.stream().mapToDouble(RunHistory.Quality::criticHeldOut).toArray(), true, false)).toSvg();
    }

    private static String levelTable(RunHistory.Quality q) {
        StringBuilder head = new StringBuilder("<tr><th>epoch " + q.epoch() + "</th>");
        StringBuilder swd = new StringBuilder("<tr><th>SWD</th>");
        StringBuilder floor = new StringBuilder("<tr><th>real vs real</th>");
        for (Iterator<Map.Entry<String, JsonNode>> it = q.levels().fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> level = it.next();
            head.append("<th>").append(Html.escape(level.getKey())).append(" px</th>");
            swd.append("<td>").append(number(level.getValue().asDouble())).append("</td>");
            floor.append("<td>").append(number(q.floorLevels().path(level.getKey()).asDouble())).append("</td>");
        }
        return "<div class=\"scroll\"><table class=\"levels\">" + head + "<th>mean</th></tr>" + swd + "<td>"
                + number(q.swd()) + "</td></tr>" + floor + "<td>" + number(q.floor()) + "</td></tr></table></div>";
    }

    private static String speedChart(RunHistory h) {
        List<RunHistory.Iteration> its = h.iterations();
        if (its.isEmpty()) {
            return empty("No iterations logged yet.");
        }
        double[] x = values(its, i -> i.genIter());
        double[] speed = values(its, RunHistory.Iteration::imagesPerS);
        return new SvgChart("Images per second", "generator iteration")
                .add(new SvgChart.Series("images/s", BLUE, x, speed, false, true))
                .add(new SvgChart.Series("images/s", BLUE, x, smooth(speed), false, false)).toSvg();
    }

    private static String samples(Path runDir) throws IOException {
        Path dir = runDir.resolve("samples");
        List<Path> epochs = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) { // names only: a directory listing, not the files
                files.filter(p -> p.getFileName().toString().matches("epoch-\\d+\\.png"))
                        .sorted(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed())
                        .forEach(epochs::add);
            }
        }
        Path reals = dir.resolve("reals.png");
        boolean hasReals = Files.isRegularFile(reals);
        if (epochs.isEmpty() && !hasReals) {
            return empty("No sample grids yet.");
        }
        StringBuilder html = new StringBuilder("<div class=\"gallery\">");
        List<String> rows = rowLabels(runDir);
        long budget = EMBED_BYTES;
        int embedded = 0;
        List<Path> linked = new ArrayList<>();
        for (Path png : epochs) {
            long size = Files.size(png);
            if (embedded < EMBED_GRIDS && size <= budget && linked.isEmpty()) {
                html.append(rows.isEmpty() ? embeddedFigure(png, "epoch " + epochOf(png))
                        : labelledFigure(png, "epoch " + epochOf(png), rows));
                budget -= size;
                embedded++;
                if (embedded == 1 && hasReals) { // the reals beside the newest grid, to compare
                    hasReals = false;
                    html.append(Files.size(reals) <= budget ? embeddedFigure(reals, "real images")
                            : linkedFigure(runDir, reals, "real images", ""));
                    budget -= Math.min(budget, Files.size(reals));
                }
            } else {
                linked.add(png);
            }
        }
        if (hasReals) {
            html.append(Files.size(reals) <= budget ? embeddedFigure(reals, "real images")
                    : linkedFigure(runDir, reals, "real images", ""));
        }
        html.append("</div>");
        if (!linked.isEmpty()) {
            List<Path> shown = evenlySpaced(linked, TIMELINE_GRIDS);
            html.append("<h3>Earlier epochs</h3><p class=\"note\">").append(shown.size() == linked.size()
                    ? "Every earlier grid" : shown.size() + " of the " + linked.size() + " earlier grids, evenly spaced;"
                    + " all are in samples/").append(" (linked, not embedded: open the page from the run folder).</p>")
                    .append("<div class=\"gallery timeline\">");
            for (Path png : shown) {
                html.append(linkedFigure(runDir, png, "epoch " + epochOf(png), " loading=\"lazy\""));
            }
            html.append("</div>");
        }
        return html.toString();
    }

    /** At most n of the items, evenly spaced, the first and the last included; in their order. */
    static <T> List<T> evenlySpaced(List<T> items, int n) {
        if (items.size() <= n) {
            return items;
        }
        List<T> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(items.get((int) Math.round(i * (items.size() - 1) / (double) (n - 1))));
        }
        return out;
    }

    private static String epochOf(Path png) {
        return png.getFileName().toString().replaceAll("\\D", "").replaceFirst("^0+(?=\\d)", "");
    }

    private static String embeddedFigure(Path png, String caption) throws IOException {
        return "<figure><img alt=\"" + caption + "\" src=\"data:image/png;base64,"
                + Base64.getEncoder().encodeToString(Files.readAllBytes(png)) + "\"><figcaption>" + caption
                + "</figcaption></figure>";
    }

    /** A conditional run's grid with its class names beside the rows (one row per class). */
    private static String labelledFigure(Path png, String caption, List<String> rows) throws IOException {
        StringBuilder labels = new StringBuilder("<ol class=\"rowlabels\">");
        for (String row : rows) {
            labels.append("<li>").append(Html.escape(row)).append("</li>");
        }
        labels.append("</ol>");
        return "<figure class=\"labelled\"><div>" + labels + "<img alt=\"" + caption + ", one row per class\" src=\"data:image/png;base64,"
                + Base64.getEncoder().encodeToString(Files.readAllBytes(png)) + "\"></div><figcaption>" + caption
                + ", one row per class</figcaption></figure>";
    }

    /**
     * A conditional run's grid rows, top to bottom: "folder name" of its first classes (the
     * Generation.CLASS_GRID_ROWS); empty for an unconditional run.
     */
    static List<String> rowLabels(Path runDir) throws IOException {
        Path file = runDir.resolve("options.json");
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        JsonNode options = Json.parse(Files.readString(file));
        if (!options.path("conditional").asBoolean(false)) {
            return List.of();
        }
        List<String> rows = new ArrayList<>();
        for (JsonNode c : options.path("classes")) {
            if (rows.size() == wgan.model.Generation.CLASS_GRID_ROWS) {
                break;
            }
            rows.add((c.path("folder").asText() + " " + c.path("name").asText("")).trim());
        }
        return rows;
    }

    private static String linkedFigure(Path runDir, Path png, String caption, String attributes) {
        String href = Html.escape(runDir.relativize(png).toString().replace(java.io.File.separatorChar, '/'));
        return "<figure><a href=\"" + href + "\"><img alt=\"" + caption + "\" src=\"" + href + "\"" + attributes
                + "></a><figcaption>" + caption + "</figcaption></figure>";
    }

    private static String options(Path runDir) throws IOException {
        Path file = runDir.resolve("options.json");
        if (!Files.isRegularFile(file)) {
            return empty("No options.json.");
        }
        StringBuilder rows = new StringBuilder();
        flatten("", Json.parse(Files.readString(file)), rows);
        return "<div class=\"scroll\"><table class=\"options\">" + rows + "</table></div>";
    }

    private static String classes(Path runDir) throws IOException {
        Path file = runDir.resolve("options.json");
        JsonNode classes = Files.isRegularFile(file) ? Json.parse(Files.readString(file)).path("classes")
                : com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        if (!classes.isArray() || classes.isEmpty()) {
            return empty("No class counts in options.json.");
        }
        int largest = 1;
        for (JsonNode c : classes) {
            largest = Math.max(largest, c.path("images").asInt());
        }
        StringBuilder rows = new StringBuilder("<tr><th>folder</th><th>name</th><th>images</th><th></th></tr>");
        for (JsonNode c : classes) {
            int n = c.path("images").asInt();
            rows.append("<tr><td>").append(Html.escape(c.path("folder").asText())).append("</td><td>")
                    .append(Html.escape(c.path("name").asText(""))).append("</td><td>").append(n)
                    .append("</td><td><span style=\"display:inline-block;height:0.8em;background:").append(BLUE)
                    .append(";width:").append(Math.round(160.0 * n / largest)).append("px\"></span></td></tr>");
        }
        return "<div class=\"scroll\"><table class=\"classes\">" + rows + "</table></div>";
    }

    private static void flatten(String prefix, JsonNode node, StringBuilder rows) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(),
                    e.getValue(), rows));
        } else {
            rows.append("<tr><th>").append(Html.escape(prefix)).append("</th><td>")
                    .append(Html.escape(node.isTextual() ? node.asText() : node.toString())).append("</td></tr>");
        }
    }

    private static String section(String heading, String note, String content) {
        return "<section><h2>" + heading + "</h2>" + (note.isEmpty() ? "" : "<p class=\"note\">" + note + "</p>")
                + content + "</section>";
    }

    private static String empty(String text) {
        return "<p class=\"empty\">" + Html.escape(text) + "</p>";
    }

    private static <T> double[] values(List<T> items, ToDoubleFunction<T> f) {
        return items.stream().mapToDouble(f).toArray();
    }

    /** Centred moving average over about a fiftieth of the run: the trend through noisy per-iteration values. */
    static double[] smooth(double[] v) {
        int half = Math.max(1, v.length / 100);
        double[] prefix = new double[v.length + 1];
        for (int i = 0; i < v.length; i++) {
            prefix[i + 1] = prefix[i] + v[i];
        }
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            int from = Math.max(0, i - half);
            int to = Math.min(v.length, i + half + 1);
            out[i] = (prefix[to] - prefix[from]) / (to - from);
        }
        return out;
    }

    private static double median(double[] v) {
        double[] sorted = v.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static String number(double v) {
        double a = Math.abs(v);
        return String.format(Locale.ROOT, a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.4f", v);
    }

    private static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, s / 60 % 60)
                : s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : String.format(Locale.ROOT, "%.1fs", seconds);
    }

    private static final String CSS = """
            :root{--fg:#111827;--muted:#6b7280;--line:#e5e7eb;--card:#f9fafb;--accent:#2563eb}
            *{box-sizing:border-box}
            body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:#fff}
            main{max-width:980px;margin:0 auto;padding:16px}
            h1{font-size:1.5rem;margin:.2em 0 .6em;word-break:break-all}
            h2{font-size:1.15rem;margin:0 0 .2em}
            section{border-top:1px solid var(--line);padding:18px 0}
            .note,.empty,footer{color:var(--muted);font-size:.9rem;margin:.2em 0 .8em}
            .cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:10px;margin:0}
            .cards div{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:8px 12px}
            .cards dt{color:var(--muted);font-size:.8rem}
            .cards dd{margin:0;font-size:1.2rem;font-weight:600;font-variant-numeric:tabular-nums}
            svg.chart{width:100%;height:auto;display:block;background:#fff}
            .grid{stroke:var(--line);stroke-width:1}
            .axis{stroke:#9ca3af;stroke-width:1}
            .tick,.legend,.axis-label{font-size:12px;fill:#374151;font-family:system-ui,sans-serif}
            .axis-label{fill:var(--muted)}
            .series{fill:none;stroke-width:2;stroke-linejoin:round}
            .series.faint{stroke-width:1;opacity:.25}
            .series.dashed{stroke-dasharray:6 4}
            .scroll{overflow-x:auto}
            table{border-collapse:collapse;font-size:.9rem;margin-top:8px}
            th,td{border-bottom:1px solid var(--line);padding:4px 10px;text-align:left;font-variant-numeric:tabular-nums}
            .levels td{text-align:right}
            .options td{word-break:break-all}
            .gallery{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:14px}
            figure{margin:0}
            .labelled>div{display:flex;gap:6px}
            .labelled img{flex:1;min-width:0}
            .rowlabels{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;font-size:.75rem;color:var(--muted);max-width:40%}
            .rowlabels li{flex:1;display:flex;align-items:center;justify-content:flex-end;text-align:right;white-space:nowrap;overflow:hidden}
            figure img{width:100%;height:auto;image-rendering:pixelated;border-radius:4px;display:block}
            figcaption{color:var(--muted);font-size:.85rem;text-align:center}
            h3{font-size:1rem;margin:1.2em 0 .2em}
            .timeline{grid-template-columns:repeat(auto-fill,minmax(120px,1fr));gap:8px}
            .timeline img{image-rendering:auto}
            @media (max-width:600px){main{padding:10px}.tick,.legend,.axis-label{font-size:20px}
            .series{stroke-width:3}.gallery{grid-template-columns:1fr}.timeline{grid-template-columns:repeat(3,1fr)}}
            """;
}
