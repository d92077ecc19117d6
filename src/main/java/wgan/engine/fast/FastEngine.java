package wgan.engine.fast;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import wgan.config.InputException;
import wgan.config.Precision;
import wgan.engine.Augmenter;
import wgan.engine.Engine;
import wgan.engine.GradientViews;
import wgan.engine.UnsupportedGraphException;
import wgan.kernels.VectorApi;
import wgan.model.GanNetworks;

/**
 * The fast engine: the critic and generator passes on libnd4j's ops and oneDNN's own convolution
 * primitives, driven directly on the graphs' own parameter and gradient arrays (see
 * package-info). Built from the graphs it is given; {@link #create} refuses, with one line naming
 * the layer, any graph it does not run exactly as DL4J would.
 */
public final class FastEngine implements Engine {
    /** The JVM property choosing fp32's convolutions: auto (default), dnnl or libnd4j. */
    public static final String FP32_CONVOLUTIONS = "wgan.fp32.convolutions";
    private final CriticPass critic;
    private final GeneratorPass generator;
    private final INDArray criticGradient;
    private final INDArray generatorGradient;
    private final boolean vectorKernels;
    private final Precision precision;
    /** oneDNN's own convolutions in this precision, or null: libnd4j's conv ops. */
    private final DnnlConvolution.Precision convolutions;

    private FastEngine(GanNetworks nets, Precision precision, DnnlConvolution.Precision fp32Convolutions) {
        // float32 trains; float64 (libnd4j's op path, no Vector API kernels) serves the penalty's golden test.
        DataType dataType = nets.critic().params().dataType();
        if (dataType != DataType.FLOAT && dataType != DataType.DOUBLE) {
            throw new UnsupportedGraphException("the fast engine runs float32 and float64, not " + dataType);
        }
        criticGradient = GradientViews.whole(nets.critic());
        generatorGradient = GradientViews.whole(nets.generator());
        // The passes never write the running statistics' entries: zero, the optimisers leave them alone.
        criticGradient.assign(0);
        generatorGradient.assign(0);
        this.precision = precision;
        if (precision == Precision.bf16 && dataType != DataType.FLOAT) {
            throw new UnsupportedGraphException("--precision bf16 trains float32 networks, not " + dataType);
        }
        // bf16: oneDNN's bf16 kernels. fp32: as fp32Convolutions says (see #create).
        convolutions = precision == Precision.bf16 ? DnnlConvolution.Precision.BF16 : fp32Convolutions;
        if (convolutions != null && dataType != DataType.FLOAT) {
            throw new UnsupportedGraphException("oneDNN's convolutions run float32 networks, not " + dataType);
        }
        int imageSize = nets.config().imageSize();
        critic = new CriticPass(nets.critic(), criticGradient, imageSize, convolutions);
        generator = new GeneratorPass(nets.generator(), generatorGradient, imageSize, nets.config().channels(), convolutions);
        vectorKernels = VectorApi.usable();
    }

    /** @throws UnsupportedGraphException naming the first layer or setting this engine does not run */
    public static FastEngine create(GanNetworks nets) {
        return create(nets, Precision.fp32);
    }

    /**
     * The fp32 engine with oneDNN's own fp32 convolution primitives, whatever
     * {@value #FP32_CONVOLUTIONS} says (tests compare the two kinds of convolution).
     */
    public static FastEngine withOneDnnFp32Convolutions(GanNetworks nets) {
        return new FastEngine(nets, Precision.fp32, DnnlConvolution.Precision.FP32);
    }

    /** The fp32 engine on libnd4j's conv ops, whatever {@value #FP32_CONVOLUTIONS} says (the tests' reference). */
    public static FastEngine withLibnd4jConvolutions(GanNetworks nets) {
        return new FastEngine(nets, Precision.fp32, null);
    }

    /**
     * With {@link Precision#bf16}, every convolution runs on oneDNN's bf16 kernels; the caller has
     * checked the CPU ({@link DnnlConvolution#bf16Unsupported}). With fp32, float32 networks run
     * their convolutions on oneDNN's own fp32 primitives where oneDNN's natives load on the CPU
     * backend: made once per shape, they made a statefarm-64 iteration 1.46x faster than libnd4j's
     * conv ops, which build oneDNN primitives anew at every call (docs/PERFORMANCE.md). Elsewhere, and
     * for float64 networks (the golden tests' referee), libnd4j's conv ops.
     *
     * @throws UnsupportedGraphException naming the first layer or setting this engine does not run
     * @throws InputException when {@value #FP32_CONVOLUTIONS} names no choice, or dnnl where it cannot load
     */
    public static FastEngine create(GanNetworks nets, Precision precision) {
        DnnlConvolution.Precision convolutions = precision == Precision.fp32 ? fp32Convolutions(nets) : null;
        return new FastEngine(nets, precision, convolutions);
    }

    /** oneDNN fp32 primitives, or null for libnd4j's ops: {@value #FP32_CONVOLUTIONS} (auto, dnnl, libnd4j). */
    private static DnnlConvolution.Precision fp32Convolutions(GanNetworks nets) {
        String choice = System.getProperty(FP32_CONVOLUTIONS, "auto");
        if (!choice.equals("auto") && !choice.equals("dnnl") && !choice.equals("libnd4j")) {
            throw new InputException("-D" + FP32_CONVOLUTIONS + "=" + choice + ": use auto, dnnl or libnd4j");
        }
        if (choice.equals("libnd4j") || nets.critic().params().dataType() != DataType.FLOAT) {
            return null;
        }
        String unavailable = Nd4j.getEnvironment().isCPU() ? DnnlConvolution.unavailable()
                : "oneDNN runs on the CPU backend only";
        if (unavailable == null) {
            return DnnlConvolution.Precision.FP32;
        }
        if (choice.equals("dnnl")) {
            throw new InputException("-D" + FP32_CONVOLUTIONS + "=dnnl: " + unavailable);
        }
        return null;
    }

    public Precision precision() {
        return precision;
    }

    @Override
    public String description() {
        String convs = convolutions == null ? "libnd4j ops" : convolutions == DnnlConvolution.Precision.BF16
                ? "oneDNN bf16 convolutions and libnd4j ops" : "oneDNN fp32 convolutions and libnd4j ops";
        return "fast (" + convs + " on the graphs' arrays, Vector API kernels " + (vectorKernels ? "on" : "off") + ")";
    }

    @Override
    public double criticPass(INDArray images, int sign) {
        return critic.run(images, null, sign);
    }

    @Override
    public double criticPass(INDArray images, INDArray labels, int sign) {
        return critic.run(images, labels, sign);
    }

    @Override
    public INDArray fakes(INDArray noise) {
        return generator.forward(noise);
    }

    /** Only the image gradient through the critic (no critic weight gradient), as PyTorch's autograd with D frozen. */
    @Override
    public double generatorPass(INDArray noise) {
        return generatorPass(noise, null, null);
    }

    @Override
    public double generatorPass(INDArray noise, Augmenter augmenter) {
        return generatorPass(noise, null, augmenter);
    }

    @Override
    public double generatorPass(INDArray noise, INDArray labels, Augmenter augmenter) {
        if (augmenter == null) {
            double lossG = critic.runForImageGradient(generator.forward(noise), labels, +1);
            generator.backward(critic.imageGradient());
            return lossG;
        }
        double lossG;
        try (INDArray augmented = augmenter.forward(generator.forward(noise))) {
            lossG = critic.runForImageGradient(augmented, labels, +1);
        }
        try (INDArray fakeGradient = augmenter.backward(critic.imageGradient())) {
            generator.backward(fakeGradient);
        }
        return lossG;
    }

    @Override
    public double gradientPenalty(INDArray interpolates, double weight) {
        return critic.penalty(interpolates, null, weight);
    }

    @Override
    public double gradientPenalty(INDArray interpolates, INDArray labels, double weight) {
        return critic.penalty(interpolates, labels, weight);
    }

    @Override
    public INDArray criticGradient() {
        return criticGradient;
    }

    @Override
    public INDArray generatorGradient() {
        return generatorGradient;
    }

    /** Times every layer's parts from now on, keyed by layer name (wgan bench --profile). */
    public void timeWith(SectionTimer timer) {
        critic.timeWith(timer);
        generator.timeWith(timer);
    }
}
