package wgan.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import wgan.data.FeedRate;
import wgan.data.ImageLoader;
import wgan.data.SkippedFile;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "prepare", mixinStandardHelpOptions = true, showDefaultValues = true, sortOptions = false,
        description = {"Decodes a folder of images once into the image cache, so that wgan train starts at once.",
                "The cache is rebuilt when a file is added, removed or changed; wgan train builds it itself if needed."})
final class PrepareCommand implements Callable<Integer> {
    /** Enough skipped files to see what went wrong without flooding the console. */
    static final int SKIPPED_SHOWN = 10;

    @Option(names = "--data", paramLabel = "DIR", required = true, description = "Folder of images, searched recursively.")
    Path data;

    @Mixin
    ImageShapeOptions shape;

    @Mixin
    CacheDirOption cacheDir;

    @Mixin
    MaxPixelsOption maxPixels;

    @Option(names = "--measure-feed", paramLabel = "B", description = "Also time one shuffled epoch turned into "
            + "float batches of B images, as wgan train feeds the critic.")
    Integer measureFeedBatch;

    @Override
    public Integer call() {
        shape.check();
        PrintStream console = System.out;
        console.printf("wgan prepare: data %s, %dx%dx%d%n", data, shape.imageSize, shape.imageSize, shape.channels);
        ImageLoader.Prepared prepared = ImagePreparation.prepare(data, shape.imageSize, shape.channels, maxPixels.maxPixels,
                cacheDir.resolve(), console,
                " (listed below)");
        // no run folder holds a skipped.txt yet: show the first few here
        show("skipped", prepared.images().skipped(), console);
        show("warning", prepared.images().warnings(), console);
        if (measureFeedBatch != null) {
            console.printf("feeding: %.0f images/s into float batches of %d%n",
                    FeedRate.imagesPerSecond(prepared.images(), measureFeedBatch), measureFeedBatch);
        }
        return ExitCode.OK.code;
    }

    private static void show(String what, java.util.List<SkippedFile> files, PrintStream console) {
        files.stream().limit(SKIPPED_SHOWN).map(SkippedFile::toString).forEach(s -> console.println(what + ": " + s));
        int more = files.size() - SKIPPED_SHOWN;
        if (more > 0) {
            console.printf("%s: ... and %d more%n", what, more);
        }
    }
}
