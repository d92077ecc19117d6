package wgan.engine.fast;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.matmul;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.stream;
import org.bytedeco.dnnl.global.dnnl;

import java.util.Arrays;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;

/**
 * Research probe for issue 16's bound (not a test): the GEMM rate of oneDNN 2.5.2, the library
 * wgan's convolutions run on, as n x n x n matmul primitives: f32, and bf16 inputs with f32
 * output (what a bf16 convolution's kernels compute). Prints GFLOP/s, median of reps after one
 * warm-up, and the statefarm-64 generator iterations per second that rate allows at ~533 GFLOP
 * per iteration, and last a JSON line of the rates. Usage: {@code DnnlGemmProbe [n] [reps]};
 * scripts/bench/bound.sh runs it; results in docs/PERFORMANCE.md.
 * The inputs are left uninitialised: a GEMM's time does not depend on its values (no denormals
 * arise in freshly allocated zero pages).
 */
public final class DnnlGemmProbe {
    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 4096;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        engine eng = new engine(engine.kind.cpu, 0);
        stream s = new stream(eng);
        System.out.println("oneDNN ISA: " + dnnl.get_effective_cpu_isa());
        StringBuilder json = new StringBuilder("{\"n\": " + n);
        for (memory.data_type in : new memory.data_type[]{memory.data_type.f32, memory.data_type.bf16}) {
            long[] dims = {n, n};
            memory.desc a = new memory.desc(dims, in, memory.format_tag.ab);
            memory.desc b = new memory.desc(dims, in, memory.format_tag.ab);
            memory.desc c = new memory.desc(dims, memory.data_type.f32, memory.format_tag.ab);
            matmul.primitive_desc pd = new matmul.primitive_desc(new matmul.desc(a, b, c), eng);
            matmul product = new matmul(pd);
            IntMemoryMap argsMap = new IntMemoryMap();
            argsMap.put(DNNL_ARG_SRC, new memory(a, eng)).put(DNNL_ARG_WEIGHTS, new memory(b, eng))
                    .put(DNNL_ARG_DST, new memory(c, eng));
            double[] seconds = new double[reps];
            for (int r = -1; r < reps; r++) {
                long t = System.nanoTime();
                product.execute(s, argsMap);
                s._wait();
                if (r >= 0) {
                    seconds[r] = (System.nanoTime() - t) / 1e9;
                }
            }
            Arrays.sort(seconds);
            double gflops = 2.0 * n * n * (double) n / seconds[reps / 2] / 1e9;
            System.out.printf("%s inputs, f32 output, %s: %.1f GFLOP/s (%.3f statefarm-64 generator iterations/s at 533 GFLOP)%n",
                    in, pd.impl_info_str().getString(), gflops, gflops / 533);
            json.append(String.format(java.util.Locale.ROOT, ", \"%s_gflops\": %.1f", in, gflops));
        }
        System.out.println(json.append('}'));
    }
}
