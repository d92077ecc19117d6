package wgan.cli;

import picocli.CommandLine;
import wgan.config.InputException;
import wgan.config.Versions;
import wgan.files.FileErrors;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Entry point: parses, runs one subcommand, maps every failure to one line and an exit code. */
public final class Main {
    static final String SAMPLE_PRESET = "sample-32.args";
    static final String SAMPLE_CLASSES = "fashion-mnist-classes.tsv";
    private static final String PLATFORM_EXTENSION = "org.bytedeco.javacpp.platform.extension";

    private Main() {
    }

    public static void main(String[] args) {
        selectNativeBuild();
        System.exit(run(args, System.out, System.err));
    }

    /**
     * The jar carries one native ND4J build (pom.xml: nd4j.classifier, -onednn on the CPU, -cudnn with
     * -Pcuda); JavaCPP loads it only when told its platform extension. Must run before ND4J is first touched.
     */
    static void selectNativeBuild() {
        if (System.getProperty(PLATFORM_EXTENSION) == null) {
            System.setProperty(PLATFORM_EXTENSION, Versions.nd4jExtension());
        }
    }

    /** Runs wgan without exiting the JVM; tests call this. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine cli = new CommandLine(new WganCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        documentExitCodes(cli);
        cli.setOverwrittenOptionsAllowed(true); // a flag after a preset file wins over the preset
        cli.setParameterExceptionHandler((e, a) -> {
            err.println("wgan: " + e.getMessage() + " (see: wgan " + commandName(e.getCommandLine()) + " --help)");
            return ExitCode.USAGE.code;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> reportFailure(e, err));
        return cli.execute(withSamplePresetIfNoData(args, err));
    }

    private static void documentExitCodes(CommandLine command) {
        command.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n")
                .exitCodeList(ExitCode.helpList());
        command.getSubcommands().values().forEach(Main::documentExitCodes);
    }

    static int reportFailure(Exception e, PrintStream err) {
        Throwable cause = e;
        while ((cause instanceof UncheckedIOException || cause instanceof java.util.concurrent.CompletionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof InputException) {
            err.println("wgan: " + cause.getMessage());
            return ExitCode.USAGE.code;
        }
        if (cause instanceof IOException io) {
            err.println("wgan: cannot write output: " + FileErrors.describe(io));
            return ExitCode.IO.code;
        }
        err.println("wgan: internal error: " + cause + (debug() ? "" : " (WGAN_DEBUG=1 shows the stack trace)"));
        if (debug()) {
            cause.printStackTrace(err);
        }
        return ExitCode.INTERNAL.code;
    }

    private static boolean debug() {
        return System.getenv("WGAN_DEBUG") != null;
    }

    private static String commandName(CommandLine commandLine) {
        String name = commandLine.getCommandSpec().qualifiedName(" ");
        return name.startsWith("wgan ") ? name.substring(5) : "";
    }

    /**
     * `wgan train` with no --data and no preset trains on the embedded Fashion-MNIST sample with
     * config/sample-32.args, so the first command of the README works on a fresh clone.
     */
    static String[] withSamplePresetIfNoData(String[] args, PrintStream err) {
        if (args.length == 0 || !args[0].equals("train")) {
            return args;
        }
        boolean choosesData = Arrays.stream(args).anyMatch(a -> a.equals("--data") || a.startsWith("--data=")
                || a.startsWith("--resume") || a.startsWith("@") || a.equals("--help") || a.equals("-h"));
        if (choosesData) {
            return args;
        }
        Path preset = AppHome.locate().resolve("config").resolve(SAMPLE_PRESET);
        err.println("wgan: no --data given: training on the embedded sample (data/sample) with config/" + SAMPLE_PRESET);
        List<String> expanded = new ArrayList<>(List.of(args));
        expanded.add(1, "@" + preset);
        if (Arrays.stream(args).noneMatch(a -> a.equals("--class-names") || a.startsWith("--class-names="))) {
            // the sample's c0..c9 are Fashion-MNIST's classes
            expanded.add(2, "--class-names");
            expanded.add(3, AppHome.locate().resolve("config").resolve(SAMPLE_CLASSES).toString());
        }
        return expanded.toArray(new String[0]);
    }
}
