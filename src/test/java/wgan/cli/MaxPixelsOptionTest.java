package wgan.cli;

import org.junit.jupiter.api.Test;
import wgan.data.ImageDecoder;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The flag's default (a string, as annotations need) is the decoder's own limit. */
class MaxPixelsOptionTest {
    @Test
    void theFlagsDefaultIsTheDecodersLimit() {
        assertEquals(ImageDecoder.DEFAULT_MAX_PIXELS, Long.parseLong(MaxPixelsOption.DEFAULT));
    }
}
