package wgan.data;

/**
 * What an image file's first bytes say, read before anything is decoded: the format (from the
 * content, not the file name), the width and height, and for JPEGs whether the image ends and
 * whether it is progressive. The size lets the loader skip decompression bombs (a 124 KB PNG can
 * claim 32,000 x 32,000 pixels, 3 GB once decoded) and ask libjpeg for a 1/2, 1/4 or 1/8 scale
 * decode, and it bounds the memory one decode needs (see {@link #decodeBytes}).
 *
 * @param progressive a progressive JPEG: libjpeg keeps every DCT coefficient of the whole image
 *                    while it decodes, whatever the output scale
 */
record ImageHeader(Format format, int width, int height, int components, boolean progressive) {
    enum Format { JPEG, PNG, BMP }

    long pixels() {
        return (long) width * height;
    }

    /**
     * Null when the bytes are not a JPEG, PNG or BMP whose header gives a size: nothing else is
     * handed to the native decoders (the scan takes only jpg, jpeg, png and bmp files).
     */
    static ImageHeader read(byte[] b) {
        if (b.length >= 4 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8) {
            return jpeg(b);
        }
        if (b.length >= 24 && (b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G'
                && b[12] == 'I' && b[13] == 'H' && b[14] == 'D' && b[15] == 'R') {
            return sized(Format.PNG, int32(b, 16), int32(b, 20), 0, false);
        }
        if (b.length >= 26 && b[0] == 'B' && b[1] == 'M') {
            int headerSize = le32(b, 14);
            if (headerSize == 12) { // OS/2 BITMAPCOREHEADER: 16-bit sizes
                return sized(Format.BMP, le16(b, 18), le16(b, 20), 0, false);
            }
            // a negative height means the rows are stored top-down
            return sized(Format.BMP, le32(b, 18), Math.abs(le32(b, 22)), 0, false);
        }
        return null;
    }

    private static ImageHeader sized(Format format, int width, int height, int components, boolean progressive) {
        return width > 0 && height > 0 ? new ImageHeader(format, width, height, components, progressive) : null;
    }

    private static ImageHeader jpeg(byte[] b) {
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
                int components = b[i + 9] & 0xFF;
                // SOF2, SOF6, SOF10, SOF14: progressive
                boolean progressive = marker == 0xC2 || marker == 0xC6 || marker == 0xCA || marker == 0xCE;
                return sized(Format.JPEG, width, height, components, progressive);
            }
            i += 2 + length;
        }
        return null;
    }

    /**
     * Whether a JPEG's end-of-image marker FF D9 is near the end. Inside entropy-coded data an FF
     * is always followed by 00 or a restart marker, so FF D9 there means the image really ended; a
     * little trailing data after it (some cameras and editors append a few bytes) is allowed.
     */
    static boolean hasJpegEndMarker(byte[] b) {
        int from = Math.max(2, b.length - END_SEARCH_BYTES);
        for (int i = b.length - 2; i >= from; i--) {
            if ((b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xFF) == 0xD9) {
                return true;
            }
        }
        return false;
    }

    private static final int END_SEARCH_BYTES = 4096;

    /**
     * The largest JPEG reduction (1, 2, 4 or 8) whose short side still covers the target: a
     * 6000x4000 photo bound for 64x64 is decoded at 750x500, never at full size. Other formats
     * cannot be decoded at a reduced scale: 1.
     */
    int reduction(int target) {
        int reduction = 1;
        if (format == Format.JPEG) {
            int shortSide = Math.min(width, height);
            while (reduction < 8 && shortSide / (reduction * 2) >= target) {
                reduction *= 2;
            }
        }
        return reduction;
    }

    /**
     * An upper bound of the native memory one decode of this image holds at its peak, for the
     * decoders' shared memory budget: the decoded picture (3 bytes a pixel, at the JPEG reduction:
     * OpenCV converts 16-bit and alpha images to 8-bit BGR while it decodes) plus, for a
     * progressive JPEG, libjpeg's coefficient buffer (2 bytes per component and pixel at full size).
     */
    long decodeBytes(int target) {
        int r = reduction(target);
        long decoded = (long) ((width + r - 1) / r) * ((height + r - 1) / r) * 3;
        long coefficients = progressive ? pixels() * Math.max(1, components) * 2 : 0;
        return decoded + coefficients;
    }

    private static int int32(byte[] b, int at) {
        return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }

    private static int le32(byte[] b, int at) {
        return (b[at] & 0xFF) | ((b[at + 1] & 0xFF) << 8) | ((b[at + 2] & 0xFF) << 16) | ((b[at + 3] & 0xFF) << 24);
    }

    private static int le16(byte[] b, int at) {
        return (b[at] & 0xFF) | ((b[at + 1] & 0xFF) << 8);
    }
}
