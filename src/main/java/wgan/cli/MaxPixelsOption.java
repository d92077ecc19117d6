package wgan.cli;

import picocli.CommandLine.Option;

/** --max-pixels N, the decompression-bomb limit of every command that decodes images (train, prepare, eval; @Mixin). */
final class MaxPixelsOption {
    /** ImageDecoder.DEFAULT_MAX_PIXELS as an annotation needs it, a constant string; MaxPixelsOptionTest ties the two. */
    static final String DEFAULT = "100000000";

    @Option(names = "--max-pixels", paramLabel = "N", defaultValue = DEFAULT,
            description = "Images with more pixels than this (read from the file's header) are skipped before decoding,"
                    + " with the reason in the skipped list: decompression bombs never reach memory.")
    long maxPixels;
}
