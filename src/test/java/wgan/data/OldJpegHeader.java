package wgan.data;

/**
 * Reads a JPEG's width and height from its frame header without decoding, so the decoder can
 * ask libjpeg for a 1/2, 1/4 or 1/8 scale decode: a 640x480 photo bound for 64x64 is then never
 * decoded at full size.
 */
final class OldJpegHeader {
    private OldJpegHeader() {
    }

    /** {width, height}, or null when the bytes are not a JPEG with a readable frame header. */
    static int[] size(byte[] b) {
        if (b.length < 4 || (b[0] & 0xFF) != 0xFF || (b[1] & 0xFF) != 0xD8) {
            return null;
        }
        int i = 2;
        while (i + 9 < b.length) {
            if ((b[i] & 0xFF) != 0xFF) {
                return null;
            }
            int marker = b[i + 1] & 0xFF;
            if (marker == 0xFF) { // fill byte
                i++;
                continue;
            }
            int length = ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
            boolean startOfFrame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (startOfFrame) {
                int height = ((b[i + 5] & 0xFF) << 8) | (b[i + 6] & 0xFF);
                int width = ((b[i + 7] & 0xFF) << 8) | (b[i + 8] & 0xFF);
                return width > 0 && height > 0 ? new int[]{width, height} : null;
            }
            i += 2 + length;
        }
        return null;
    }

    /**
     * Whether the end-of-image marker FF D9 is near the end. Inside entropy-coded data an FF is
     * always followed by 00 or a restart marker, so FF D9 there means the image really ended; a
     * little trailing data after it (some cameras and editors append a few bytes) is allowed.
     */
    static boolean hasEndMarker(byte[] b) {
        int from = Math.max(2, b.length - END_SEARCH_BYTES);
        for (int i = b.length - 2; i >= from; i--) {
            if ((b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xFF) == 0xD9) {
                return true;
            }
        }
        return false;
    }

    private static final int END_SEARCH_BYTES = 4096;
}
