package wgan.data;

import java.util.Locale;

/**
 * What a native decoder's complaint about one file means for that file. libjpeg decodes a JPEG
 * whose middle is damaged with a warning and returns a picture that is partly grey or smeared
 * (~36 grey levels off the intact photo on average, as issue 14 measured): such a file is skipped, as a
 * truncated one is. Complaints that leave the picture whole (bytes after the last scan, a libpng
 * warning about a colour profile) let the file be used, listed with the warning.
 */
final class DecoderComplaint {
    private DecoderComplaint() {
    }

    /** One line of what the decoders printed: blank lines dropped, lines joined with "; ". */
    static String oneLine(String text) {
        return String.join("; ", text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
    }

    /** Whether the complaint says that image data was lost. */
    static boolean lostData(String complaint) {
        String c = complaint.toLowerCase(Locale.ROOT);
        for (String line : c.split("; ")) {
            boolean trailingBytes = line.contains("extraneous bytes before marker 0xd9");
            if (!trailingBytes && (line.contains("corrupt jpeg data") || line.contains("premature end of jpeg")
                    || line.contains("bogus") || line.contains("huffman") || line.contains("invalid sos"))) {
                return true;
            }
        }
        return false;
    }
}
