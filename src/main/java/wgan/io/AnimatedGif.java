package wgan.io;

import org.nd4j.linalg.api.ndarray.INDArray;
import wgan.files.AtomicFiles;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Frames ([N, C, S, S] in [-1, 1]) as a looping animated GIF, each frame scaled up by a whole
 * factor (nearest neighbour) so small images stay visible, through the JDK's own GIF writer: no
 * native library, and no timestamp or encoder version in the file, so the same frames give the
 * same bytes.
 */
public final class AnimatedGif {
    private AnimatedGif() {
    }

    /** @param delayCentiseconds time each frame shows, in 1/100 s */
    public static void write(INDArray frames, int scale, int delayCentiseconds, Path gif) throws IOException {
        int n = (int) frames.size(0);
        int size = (int) frames.size(2);
        float[] data = frames.dup('c').data().asFloat();
        AtomicFiles.write(gif, file -> {
            ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
            try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
                writer.setOutput(out);
                writer.prepareWriteSequence(null);
                for (int i = 0; i < n; i++) {
                    BufferedImage one = new BufferedImage(size * scale, size * scale, BufferedImage.TYPE_INT_RGB);
                    ImageGrid.draw(data, i, frames, one, 0, 0, scale);
                    IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(one), null);
                    frameMetadata(meta, delayCentiseconds, i == 0);
                    writer.writeToSequence(new IIOImage(one, null, meta), null);
                }
                writer.endWriteSequence();
            } finally {
                writer.dispose();
            }
        });
    }

    /** The frame's delay and, on the first frame, NETSCAPE2.0's loop-forever extension. */
    private static void frameMetadata(IIOMetadata meta, int delay, boolean first) throws IOException {
        String format = meta.getNativeMetadataFormatName();
        IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(format);
        IIOMetadataNode control = child(root, "GraphicControlExtension");
        control.setAttribute("disposalMethod", "none");
        control.setAttribute("userInputFlag", "FALSE");
        control.setAttribute("transparentColorFlag", "FALSE");
        control.setAttribute("delayTime", Integer.toString(delay));
        control.setAttribute("transparentColorIndex", "0");
        if (first) {
            IIOMetadataNode extensions = child(root, "ApplicationExtensions");
            IIOMetadataNode loop = new IIOMetadataNode("ApplicationExtension");
            loop.setAttribute("applicationID", "NETSCAPE");
            loop.setAttribute("authenticationCode", "2.0");
            loop.setUserObject(new byte[]{1, 0, 0}); // loop forever
            extensions.appendChild(loop);
        }
        meta.setFromTree(format, root);
    }

    private static IIOMetadataNode child(IIOMetadataNode root, String name) {
        for (int i = 0; i < root.getLength(); i++) {
            if (root.item(i).getNodeName().equalsIgnoreCase(name)) {
                return (IIOMetadataNode) root.item(i);
            }
        }
        IIOMetadataNode node = new IIOMetadataNode(name);
        root.appendChild(node);
        return node;
    }
}
