package dev.lamina.optimizers;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Plain SGD's step {@code w −= lr·g} as MXNet's own {@code sgd_update} kernel: one pass over the
 * weight and its gradient and one operation for the engine to schedule, where Lamina's rule
 * otherwise scales the gradient in place and subtracts it (two of each). Used only where it gives
 * the same bits as the two operations, which a probe checks once per engine: {@code sgd_update}
 * computes {@code 1·w − (lr·1)·g}, the same two roundings unless the kernel was compiled to fuse
 * the multiplication into the subtraction (a fused multiply-add rounds once). On the MXNet 1.9.1
 * CPU build the probe finds every value equal. PyTorch is not offered this: DJL's PyTorch
 * {@code sgdUpdate} copies the gradient and clears it, which Lamina already does better.
 */
final class FusedSgd {
    /** {@code -Dlamina.fused.sgd=false} keeps the two operations (for comparisons). */
    static final String PROPERTY = "lamina.fused.sgd";
    private static final boolean ALLOWED = !"false".equals(System.getProperty(PROPERTY));
    /** Per MXNet device, the probe's answer. */
    private static final Map<Device, Boolean> EXACT = new ConcurrentHashMap<>();

    private FusedSgd() {}

    /** Whether {@link #step} gives {@code w − (lr·g)} bit for bit on {@code w}'s engine. */
    static boolean available(NDArray w) {
        NDManager manager = w.getManager();
        if (!ALLOWED || !manager.getEngine().getEngineName().equals("MXNet")) {
            return false;
        }
        return EXACT.computeIfAbsent(w.getDevice(), k -> probe(manager));
    }

    /** {@code w −= lr·g}, in {@code w}'s memory, by the engine's fused kernel. */
    static void step(NDArray w, NDArray g, float lr) {
        w.getNDArrayInternal().sgdUpdate(new NDList(w, g), new NDList(w), lr, 0f, 1f, -1f, 0f, true);
    }

    /**
     * Both ways on values spread over many magnitudes (where a fused multiply-add would round
     * differently somewhere), at rates of the usual sizes: equal everywhere, or not used.
     */
    private static boolean probe(NDManager parent) {
        try (NDManager m = parent.newSubManager()) {
            int n = 4096;
            float[] wv = new float[n];
            float[] gv = new float[n];
            java.util.SplittableRandom r = new java.util.SplittableRandom(17);
            for (int i = 0; i < n; i++) {
                wv[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(-3, 3)));
                gv[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(-4, 2)));
            }
            NDArray g = m.create(gv, new Shape(n));
            for (float lr : new float[] {0.1f, 0.05f, 0.01f, 1e-3f, 3e-4f}) {
                NDArray expected = m.create(wv, new Shape(n)).sub(g.mul(lr));
                NDArray fused = m.create(wv, new Shape(n));
                step(fused, g, lr);
                float[] a = expected.toFloatArray();
                float[] b = fused.toFloatArray();
                for (int i = 0; i < n; i++) {
                    if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) {
                        return false;
                    }
                }
            }
            return true;
        } catch (RuntimeException e) {
            return false; // an engine without the kernel: the two operations
        }
    }
}
