package wgan.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import wgan.config.ModelConfig;
import wgan.config.OptimizerKind;
import wgan.engine.fast.FastEngine;
import wgan.model.GanNetworks;
import wgan.model.Generation;
import wgan.model.Rng;
import wgan.optim.Optimizer;

import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A diagnosis, run on request, of EngineEquivalenceTest's failures at other vector widths (README,
 * "Other widths and EngineEquivalenceTest"), and the check EngineEquivalenceTest runs on a step
 * that misses its bound ({@link #explainStep}). It replays that test's fast-engine steps (with the
 * kernels as configured: -Dwgan.vector.bits, -XX:UseAVX=2, -Dwgan.vector=false) up to one step
 * (-Ddiag.case=statefarm: step 2, a critic step; -Ddiag.case=sample: step 3, a generator step;
 * -Ddiag.step=N, 0-based, for another), runs that step's passes on its weights through the fast
 * engine with the Vector API kernels on and off (float32) and through the fast engine in float64,
 * and prints every intermediate array's and gradient block's distance from float64. Then, per
 * pass and per activation in backward order, it finds the element of the activation-masked
 * gradient furthest from float64 and prints its pre-activation v in the three engines. The first
 * such element off by more than EngineEquivalenceTest's 1e-4 must be explained as a kink flip, or
 * the test fails: float64's v within float32 rounding of zero (|v| < 1e-6 of that layer's max |v|;
 * the float32 convolutions alone are ~2e-6 off), and the float32 gradient there the other slope's
 * (ratio 0.2 or 5, or 0 for ReLU). Errors in earlier layers are then downstream of it. Seen here:
 * with -Dwgan.vector.bits=256 or -XX:UseAVX=2, statefarm step 2 and sample step 3 are each one
 * flip (1.1e-7 and 3e-9 of max |v|); with -Dwgan.vector=false at 512 bits, statefarm step 4
 * (-Ddiag.step=3) is one flip in the first layer (1.8e-8). Before the stage without BatchNorm was
 * inspected, that last case failed here ("no kink flip found").
 *
 * <p>Run: JAVA_TOOL_OPTIONS=-XX:UseAVX=2 mvn -o test -Dtest=KinkFlipDiagnosisTest -Ddiag.case=statefarm
 * The @Test is not part of the normal suite (it needs -Ddiag.case): its output is the point.
 */
@EnabledIfSystemProperty(named = "diag.case", matches = ".+")
class KinkFlipDiagnosisTest {
    static Object get(Object o, String f) throws Exception {
        Field fl = o.getClass().getDeclaredField(f);
        fl.setAccessible(true);
        return fl.get(o);
    }

    static List<String> names = new ArrayList<>();
    static final double LEAKY = 0.2;
    static int explained;

    static List<INDArray> snap(FastEngine e, boolean critic) throws Exception {
        Object pass = get(e, critic ? "critic" : "generator");
        List<INDArray> r = new ArrayList<>();
        names.clear();
        String[] fields = critic ? new String[]{"out", "act", "mean", "var", "grad", "outGrad"}
                : new String[]{"convOut", "act", "mean", "var", "actGrad", "scratch"};
        for (String f : fields) {
            INDArray[] arr = (INDArray[]) get(pass, f);
            for (int i = 0; i < arr.length; i++) {
                if (arr[i] != null) {
                    r.add(arr[i].castTo(DataType.DOUBLE).dup());
                    names.add(f + "[" + i + "]");
                }
            }
        }
        return r;
    }

    static double rel(INDArray ref, INDArray x) {
        double s = ref.amaxNumber().doubleValue();
        double d = ref.sub(x.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        return s == 0 ? d : d / s;
    }

    static void report(String what, List<INDArray> ref, List<INDArray> a, List<INDArray> b) {
        for (int i = 0; i < ref.size(); i++) {
            System.out.printf("DIAG %s %-12s vecOn %.2e vecOff %.2e  scale %.3e%n", what, names.get(i),
                    rel(ref.get(i), a.get(i)), rel(ref.get(i), b.get(i)), ref.get(i).amaxNumber().doubleValue());
        }
    }

    static FastEngine engine(GanNetworks n, boolean vector) {
        String before = System.getProperty("wgan.vector");
        System.setProperty("wgan.vector", vector ? "true" : "false");
        try {
            return FastEngine.create(n);
        } finally {
            if (before == null) {
                System.clearProperty("wgan.vector");
            } else {
                System.setProperty("wgan.vector", before);
            }
        }
    }

    @Test
    void diag(@TempDir Path tmp) throws Exception {
        String which = System.getProperty("diag.case", "statefarm");
        boolean sf = which.equals("statefarm");
        ModelConfig model = sf ? new ModelConfig(64, 3, 100, 64, 64, 0) : new ModelConfig(32, 1, 100, 32, 32, 0);
        int batch = sf ? 4 : 16;
        int target = Integer.getInteger("diag.step", sf ? 1 : 2);
        GanNetworks fastNets = GanNetworks.initialised(model, DataType.FLOAT, 7);
        FastEngine fastEngine = FastEngine.create(fastNets);
        RecordingOptimizer co = new RecordingOptimizer(Optimizer.create(OptimizerKind.rmsprop, 5e-5, fastNets.critic().params()));
        RecordingOptimizer go = new RecordingOptimizer(Optimizer.create(OptimizerKind.rmsprop, 5e-5, fastNets.generator().params()));
        WganSteps steps = new WganSteps(fastNets, fastEngine, 0.01, co, go);
        List<INDArray> reals = EngineEquivalenceTest.realBatches(tmp, model, batch, 3);
        Rng noise = new Rng(11);
        for (int step = 0; step <= target; step++) {
            INDArray z = Generation.noise(noise, batch, model.nz());
            INDArray real = reals.get(step / 2);
            if (step == target) {
                double[] r = explainStep(model, fastNets.allParams().dup(), real, z, !(step == 2 || step == 4));
                assertTrue(r[0] <= 1e-4 || r[1] > 0, "an error over 1e-4 with no kink flip found");
                return;
            }
            if (step == 2 || step == 4) {
                steps.generatorStep(z);
            } else {
                steps.criticStep(real, z);
            }
        }
    }

    /**
     * One step's passes from the given weights through the fast engine as configured (A: kernels on
     * where {@link wgan.kernels.VectorApi#usable}), the fast engine the other way (B), and the fast
     * engine in float64, with the intermediate arrays printed and each pass's first masked-gradient
     * error over 1e-4 (in backward order) asserted to be a kink flip (see the class comment).
     * Returns {A's worst gradient block relative to float64, the number of kink flips found}.
     */
    static double[] explainStep(ModelConfig model, INDArray state, INDArray real, INDArray z, boolean criticStep) throws Exception {
        explained = 0;
        boolean vector = wgan.kernels.VectorApi.usable();
        GanNetworks nA = GanNetworks.initialised(model, DataType.FLOAT, 7);
        GanNetworks nB = GanNetworks.initialised(model, DataType.FLOAT, 7);
        GanNetworks nR = GanNetworks.initialised(model, DataType.DOUBLE, 7);
        nA.allParams().assign(state);
        nB.allParams().assign(state);
        nR.allParams().assign(state.castTo(DataType.DOUBLE));
        FastEngine a = engine(nA, vector), b = engine(nB, !vector), r = engine(nR, false);
        System.out.println("DIAG A " + a.description() + " / B " + b.description() + " / " + r.description());
        double worst;
        if (criticStep) {
            GanNetworks[] nets = {nA, nB, nR};
            FastEngine[] engines = {a, b, r};
            for (int k = 0; k < 3; k++) {
                Optimizer none = Optimizer.create(OptimizerKind.rmsprop, 0, nets[k].critic().params());
                new WganSteps(nets[k], engines[k], 0.01, none, none).clampCritic();
            }
            double la = a.criticPass(real, 1), lb = b.criticPass(real, 1), lr = r.criticPass(real.castTo(DataType.DOUBLE), 1);
            System.out.println("DIAG real loss " + lr + " " + la + " " + lb);
            report("realpass", snap(r, true), snap(a, true), snap(b, true));
            inspect(a, b, r, true, 0);
            INDArray gRa = a.criticGradient().castTo(DataType.DOUBLE).dup(), gRb = b.criticGradient().castTo(DataType.DOUBLE).dup(),
                    gRr = r.criticGradient().dup();
            INDArray fa = a.fakes(z), fb = b.fakes(z), fr = r.fakes(z.castTo(DataType.DOUBLE));
            report("genfwd", snap(r, false), snap(a, false), snap(b, false));
            la = a.criticPass(fa, -1);
            lb = b.criticPass(fb, -1);
            lr = r.criticPass(fr, -1);
            System.out.println("DIAG fake loss " + lr + " " + la + " " + lb);
            report("fakepass", snap(r, true), snap(a, true), snap(b, true));
            inspect(a, b, r, true, 0);
            INDArray gFa = a.criticGradient().castTo(DataType.DOUBLE), gFb = b.criticGradient().castTo(DataType.DOUBLE),
                    gFr = r.criticGradient();
            blocks("gradReal", nR, gRr, gRa, gRb);
            blocks("gradFake", nR, gFr, gFa, gFb);
            worst = blocks("gradSum", nR, gRr.add(gFr), gRa.add(gFa), gRb.add(gFb));
        } else {
            a.generatorPass(z);
            b.generatorPass(z);
            r.generatorPass(z.castTo(DataType.DOUBLE));
            report("gen", snap(r, false), snap(a, false), snap(b, false));
            report("critic", snap(r, true), snap(a, true), snap(b, true));
            inspect(a, b, r, false, inspect(a, b, r, true, 0));
            worst = gblocks(nR, r.generatorGradient(), a.generatorGradient().castTo(DataType.DOUBLE),
                    b.generatorGradient().castTo(DataType.DOUBLE));
        }
        System.out.println("DIAG worst block (A) " + worst + ", errors explained by kink flips: " + explained);
        return new double[]{worst, explained};
    }

    static Object call(Object o, String m) throws Exception {
        java.lang.reflect.Method mm = o.getClass().getDeclaredMethod(m);
        mm.setAccessible(true);
        return mm.invoke(o);
    }

    static INDArray[] arr(FastEngine e, String pass, String f) throws Exception {
        return (INDArray[]) get(get(e, pass), f);
    }

    /** Stage st's input to its activation, in double: BatchNorm's output, or the convolution's where there is none. */
    static double[] preActivation(FastEngine e, String pass, int st, Object norm) throws Exception {
        double[] x = arr(e, pass, pass.equals("critic") ? "out" : "convOut")[st].castTo(DataType.DOUBLE).data().asDouble();
        if (norm == null) {
            return x;
        }
        long[] sh = arr(e, pass, pass.equals("critic") ? "out" : "convOut")[st].shape();
        long pos = sh[2] * sh[3];
        double[] g = ((INDArray) call(norm, "gamma")).castTo(DataType.DOUBLE).data().asDouble();
        double[] b = ((INDArray) call(norm, "beta")).castTo(DataType.DOUBLE).data().asDouble();
        double[] m = arr(e, pass, "mean")[st].castTo(DataType.DOUBLE).data().asDouble();
        double[] v = arr(e, pass, "var")[st].castTo(DataType.DOUBLE).data().asDouble();
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            int c = (int) ((i / pos) % sh[1]);
            out[i] = (x[i] - m[c]) * g[c] / Math.sqrt(v[c] + 1e-5) + b[c];
        }
        return out;
    }

    /**
     * For each activation in backward order: the element of the activation-masked gradient furthest
     * from float64, and its pre-activation in each engine. The first one over 1e-4 must be a kink flip.
     */
    static int inspect(FastEngine a, FastEngine b, FastEngine r, boolean critic, int carried) throws Exception {
        int found = carried; // flips already found upstream in this backward pass
        String pass = critic ? "critic" : "generator";
        String gf = critic ? "grad" : "actGrad";
        @SuppressWarnings("unchecked") List<Object> stages = (List<Object>) get(get(r, pass), "stages");
        INDArray[] gr = arr(r, pass, gf), ga = arr(a, pass, gf), gb = arr(b, pass, gf);
        for (int st = gr.length - 1; st >= 0; st--) { // backward order: a flip's error spreads to earlier stages
            Object norm = call(stages.get(st), "norm");
            if (gr[st] == null || (critic && st == gr.length - 1) || (!critic && norm == null)) {
                continue; // the critic's score and the generator's tanh have no kink
            }
            double[] R = gr[st].data().asDouble(), A = ga[st].castTo(DataType.DOUBLE).data().asDouble();
            int worst = 0;
            for (int i = 0; i < R.length; i++) if (Math.abs(A[i] - R[i]) > Math.abs(A[worst] - R[worst])) worst = i;
            long[] sh = gr[st].shape();
            long pos = sh[2] * sh[3];
            double[] vR = preActivation(r, pass, st, norm), vA = preActivation(a, pass, st, norm), vB = preActivation(b, pass, st, norm);
            double vmax = 0;
            for (double v : vR) vmax = Math.max(vmax, Math.abs(v));
            StringBuilder line = new StringBuilder(String.format("DIAG %s stage %d%s worst idx %d (n %d c %d p %d) grad ref %.4e vecOn %.4e vecOff %.4e"
                    + " | pre-activation v: ref %.3e vecOn %.3e vecOff %.3e | max|v| %.3e, |vRef|/max|v| %.1e",
                    pass, st, norm == null ? " (no BatchNorm)" : "", worst, worst / (sh[1] * pos), (worst / pos) % sh[1], worst % pos,
                    R[worst], A[worst], gb[st].getDouble(worst), vR[worst], vA[worst], vB[worst], vmax, Math.abs(vR[worst]) / vmax));
            double error = Math.abs(A[worst] - R[worst]) / gr[st].amaxNumber().doubleValue();
            if (error > 1e-4 && found > 0) {
                line.append(" | downstream of the flip found above");
            } else if (error > 1e-4) {
                // The explanation under test: the float32 pass took the other side of the activation's kink
                // at a pre-activation that float32 cannot place (|v| far below its rounding of ~1e-6 of max|v|).
                assertTrue(Math.abs(vR[worst]) < 1e-6 * vmax, pass + " stage " + st + ": error " + error
                        + " at an element whose pre-activation is not within float32 rounding of 0: " + line);
                double ratio = A[worst] / R[worst];
                assertTrue(Math.abs(ratio - LEAKY) < 1e-3 || Math.abs(ratio - 1 / LEAKY) < 1e-2 || A[worst] == 0 || R[worst] == 0,
                        "not a branch flip: ratio " + ratio + ": " + line);
                found++;
            }
            System.out.println(line);
        }
        explained += found - carried;
        return found;
    }

    static double blocks(String what, GanNetworks n, INDArray r, INDArray a, INDArray b) {
        double worst = 0;
        for (wgan.model.ParamBlock bl : n.criticLayout().blocks()) {
            if (!bl.isRunningStatistic()) {
                INDArray vr = wgan.model.ParamLayout.view(r, bl);
                worst = Math.max(worst, rel(vr, wgan.model.ParamLayout.view(a, bl)));
                System.out.printf("DIAG %s %s_%s A %.2e B %.2e scale %.3e%n", what, bl.layer(), bl.key(),
                        rel(vr, wgan.model.ParamLayout.view(a, bl)), rel(vr, wgan.model.ParamLayout.view(b, bl)),
                        vr.amaxNumber().doubleValue());
            }
        }
        return worst;
    }

    static double gblocks(GanNetworks n, INDArray r, INDArray a, INDArray b) {
        double worst = 0;
        for (wgan.model.ParamBlock bl : n.generatorLayout().blocks()) {
            if (!bl.isRunningStatistic()) {
                INDArray vr = wgan.model.ParamLayout.view(r, bl);
                worst = Math.max(worst, rel(vr, wgan.model.ParamLayout.view(a, bl)));
                System.out.printf("DIAG ggrad %s_%s A %.2e B %.2e scale %.3e%n", bl.layer(), bl.key(),
                        rel(vr, wgan.model.ParamLayout.view(a, bl)), rel(vr, wgan.model.ParamLayout.view(b, bl)),
                        vr.amaxNumber().doubleValue());
            }
        }
        return worst;
    }
}
