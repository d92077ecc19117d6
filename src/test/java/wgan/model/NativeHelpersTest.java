package wgan.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.convolution.Deconvolution2DLayer;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import wgan.config.ModelConfig;

import java.lang.reflect.Field;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DL4J's own layers (sampling, evaluation, the graph engine; training's fast engine calls
 * libnd4j's ops itself) must run every convolution and BatchNorm through libnd4j's native ops
 * (DL4J's "helper"), not DL4J's Java fallback, which was 3-4x slower here. A DL4J upgrade that
 * changes how helpers are switched on fails here rather than silently slowing down.
 */
class NativeHelpersTest {
    @Test
    void convolutionAndBatchNormUseNativeOps() throws Exception {
        GanNetworks nets = GanNetworks.initialised(new ModelConfig(16, 3, 8, 4, 4, 1), DataType.FLOAT, 1);
        assertTrue(NativeHelpers.enabled());
        int checked = 0;
        for (Layer layer : nets.chained().getLayers()) {
            // Deconvolution2D always calls libnd4j's deconv2d op itself and has no helper.
            boolean convolution = layer instanceof ConvolutionLayer && !(layer instanceof Deconvolution2DLayer);
            if (convolution || layer instanceof BatchNormalization) {
                assertNotNull(helperOf(layer), layer.conf().getLayer().getLayerName() + " runs DL4J's Java fallback");
                checked++;
            }
        }
        assertTrue(checked >= 6, "checked " + checked + " layers");
    }

    private static Object helperOf(Layer layer) throws ReflectiveOperationException {
        for (Class<?> c = layer.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField("helper");
                f.setAccessible(true);
                return f.get(layer);
            } catch (NoSuchFieldException e) {
                // look in the superclass
            }
        }
        throw new NoSuchFieldException("helper");
    }
}
