package wgan.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A smooth walk through a generator's latent space, as lightweight-gan's --generate-interpolation
 * and StyleGAN3's gen_video.py make one: a closed loop through K random noise points, spherical
 * interpolation (slerp) between neighbours, since Gaussian noise lives near a sphere and a
 * straight line between two points would pass through its low-norm inside. For a conditional
 * generator also a loop through every class at the first noise point: the one-hot code mixed
 * linearly between neighbouring classes, which (the generator's first layer being linear)
 * mixes their learned embeddings.
 */
public final class LatentWalk {
    private LatentWalk() {
    }

    /** Spherical interpolation between a and b at t in [0, 1]; straight when they are (nearly) parallel. */
    public static double[] slerp(double[] a, double[] b, double t) {
        double na = norm(a);
        double nb = norm(b);
        double cos = 0;
        for (int i = 0; i < a.length; i++) {
            cos += a[i] * b[i] / (na * nb);
        }
        double omega = Math.acos(Math.max(-1, Math.min(1, cos)));
        double[] out = new double[a.length];
        double s = Math.sin(omega);
        for (int i = 0; i < a.length; i++) {
            out[i] = s < 1e-6 ? (1 - t) * a[i] + t * b[i]
                    : Math.sin((1 - t) * omega) / s * a[i] + Math.sin(t * omega) / s * b[i];
        }
        return out;
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    /**
     * The generator inputs [frames, nz + K, 1, 1] of the noise loop: keys.length points (rows of
     * [k, nz]), framesPerStep frames from each to the next, the last back to the first; a
     * conditional generator's frames all carry the code of class c.
     */
    public static INDArray noiseLoop(double[][] keys, int framesPerStep, int classes, int c) {
        int nz = keys[0].length;
        int frames = keys.length * framesPerStep;
        double[] values = new double[frames * (nz + classes)];
        for (int f = 0; f < frames; f++) {
            int from = f / framesPerStep;
            double[] z = slerp(keys[from], keys[(from + 1) % keys.length], (f % framesPerStep) / (double) framesPerStep);
            System.arraycopy(z, 0, values, f * (nz + classes), nz);
            if (classes > 0) {
                values[f * (nz + classes) + nz + c] = 1;
            }
        }
        return Nd4j.createFromArray(values).reshape(frames, nz + classes, 1, 1).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT);
    }

    /** The class loop at fixed noise z: framesPerStep frames from each class's code to the next's, the last back to the first. */
    public static INDArray classLoop(double[] z, int framesPerStep, int classes) {
        int nz = z.length;
        int frames = classes * framesPerStep;
        double[] values = new double[frames * (nz + classes)];
        for (int f = 0; f < frames; f++) {
            int from = f / framesPerStep;
            double t = (f % framesPerStep) / (double) framesPerStep;
            int base = f * (nz + classes);
            System.arraycopy(z, 0, values, base, nz);
            values[base + nz + from] += 1 - t;
            values[base + nz + (from + 1) % classes] += t;
        }
        return Nd4j.createFromArray(values).reshape(frames, nz + classes, 1, 1).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT);
    }
}
