package dev.lamina.models.layers;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.lamina.initializers.InitializerSpec;
import dev.lamina.initializers.Initializers;
import dev.lamina.layers.Activation;
import dev.lamina.layers.LayerBlock;
import dev.lamina.regularizers.RegularizerSpec;
import dev.lamina.regularizers.Regularizers;
import dev.lamina.spec.BuildContext;
import dev.lamina.spec.LayerSpec;
import dev.lamina.spec.ShapeException;
import dev.lamina.spec.Spec;
import dev.lamina.spec.SpecException;
import dev.lamina.spec.SpecMap;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the transposed convolutions share ({@link Conv1dTranspose}, {@link Conv2dTranspose}: one
 * family that differs only in rank): Keras's settings, its output-size rule, the block and the
 * config written to files.
 *
 * <p>Per spatial axis, with the dilated kernel {@code K = (k − 1)·dilation + 1}, stride {@code s}
 * and input length {@code n}, the output length is Keras's: without {@code output_padding},
 * {@code valid} gives {@code n·s + max(K − s, 0)} and {@code same} gives {@code n·s}; with it,
 * {@code (n − 1)·s + K − 2·pad + output_padding}, where pad is {@code K // 2} for {@code same} and
 * 0 for {@code valid}. The numbers are those of the gradient of the ordinary convolution that maps
 * the output length back to {@code n} (TensorFlow's definition, which Keras follows on every
 * backend); see {@link TransposedConvBlock}.
 */
public sealed interface ConvTranspose extends LayerSpec permits Conv1dTranspose, Conv2dTranspose {
    /** The number of output channels. */
    int filters();

    /** The kernel's size on each spatial axis. */
    List<Integer> kernelSize();

    /** The up-sampling step on each spatial axis. */
    List<Integer> strides();

    /** {@code valid} or {@code same}. */
    String padding();

    /** Extra length at the end of each axis (each below its stride), or null: Keras's rule. */
    List<Integer> outputPadding();

    /** The spacing of the kernel's taps on each axis. */
    List<Integer> dilationRate();

    /** Applied to the output. */
    Activation activation();

    /** Whether a bias is added. */
    boolean useBias();

    /** Fills the kernel. */
    InitializerSpec kernelInitializer();

    /** Fills the bias. */
    InitializerSpec biasInitializer();

    /** The kernel's penalty, or null. */
    RegularizerSpec kernelRegularizer();

    /** The bias's penalty, or null. */
    RegularizerSpec biasRegularizer();

    /** The number of spatial axes. */
    default int rank() {
        return kernelSize().size();
    }

    @Override
    default Shape outputShape(Shape in) {
        String want = rank() == 1 ? "(channels, length)" : "(channels, height, width)";
        if (in.dimension() != rank() + 1 || Arrays.stream(in.getShape()).anyMatch(d -> d <= 0)) {
            throw new ShapeException("expected " + want + " with known positive sizes, got " + in);
        }
        long[] out = new long[rank() + 1];
        out[0] = filters();
        for (int i = 0; i < rank(); i++) {
            out[i + 1] = outLength(in.get(i + 1), kernelSize().get(i), strides().get(i),
                    padding().equals("same"),
                    outputPadding() == null ? null : outputPadding().get(i), dilationRate().get(i));
            if (out[i + 1] <= 0) {
                throw new ShapeException("input " + in + " gives an empty output along axis "
                        + (i + 1) + " (length " + out[i + 1] + "): raise output_padding or use"
                        + " padding 'valid'");
            }
        }
        return new Shape(out);
    }

    @Override
    default Block toBlock(BuildContext ctx, Shape input) {
        Shape out = outputShape(input);
        int n = rank();
        int[][] pads = new int[n][];
        for (int i = 0; i < n; i++) {
            pads[i] = zeroPads(input.get(i + 1), out.get(i + 1), kernelSize().get(i),
                    strides().get(i), padding().equals("same"), dilationRate().get(i));
        }
        TransposedConvBlock core = new TransposedConvBlock(filters(), kernelSize(), strides(),
                dilationRate(), pads, useBias(), kernelInitializer().toDjl(ctx.random()),
                useBias() ? biasInitializer().toDjl(ctx.random()) : null);
        Map<String, RegularizerSpec> regs = new HashMap<>();
        regs.put("weight", kernelRegularizer());
        regs.put("bias", useBias() ? biasRegularizer() : null);
        return new LayerBlock(core, activation(), regs);
    }

    @Override
    default Map<String, Object> config() {
        return Spec.ordered("filters", filters(), "kernel_size", value(kernelSize()),
                "strides", value(strides()), "padding", padding(),
                "output_padding", outputPadding() == null ? null : value(outputPadding()),
                "dilation_rate", value(dilationRate()), "activation", activation().toValue(),
                "use_bias", useBias(), "kernel_initializer", kernelInitializer().toMap(),
                "bias_initializer", biasInitializer().toMap(),
                "kernel_regularizer", kernelRegularizer(), "bias_regularizer", biasRegularizer());
    }

    /**
     * Keras's output length of one axis (see the class comment); {@code outputPadding} null
     * means none given.
     */
    static long outLength(long in, int k, int stride, boolean same, Integer outputPadding,
            int dilation) {
        long kk = (long) (k - 1) * dilation + 1;
        if (outputPadding == null) {
            return same ? in * stride : in * stride + Math.max(kk - stride, 0);
        }
        long pad = same ? kk / 2 : 0;
        return (in - 1) * stride + kk - 2 * pad + outputPadding;
    }

    /**
     * The zeros {before, after} put around the zero-inserted input of one axis so that an
     * ordinary convolution with the flipped kernel gives the transposed convolution: the ordinary
     * convolution over {@code out} that gives {@code in} pads {@code p} before (TensorFlow's
     * {@code same} split, 0 for {@code valid}); the transposed one then needs {@code K − 1 − p}
     * before and {@code out − 1 + p − (in − 1)·s} after. Both are never negative for lengths
     * {@link #outLength} gives.
     */
    static int[] zeroPads(long in, long out, int k, int stride, boolean same, int dilation) {
        long kk = (long) (k - 1) * dilation + 1;
        long p = same ? Math.max((in - 1) * stride + kk - out, 0) / 2 : 0;
        return new int[] {Math.toIntExact(kk - 1 - p), Math.toIntExact(out - 1 + p - (in - 1) * stride)};
    }

    /** A transposed convolution's canonical constructor. */
    @FunctionalInterface
    interface Maker<T> {
        /** The layer with these settings (nulls take Keras's defaults). */
        T make(int filters, List<Integer> kernel, List<Integer> strides, String padding,
                List<Integer> outputPadding, List<Integer> dilation, Activation activation,
                boolean useBias, InitializerSpec kernelInit, InitializerSpec biasInit,
                RegularizerSpec kernelReg, RegularizerSpec biasReg);
    }

    /** Reads a transposed convolution of {@code rank} from its config (ints or lists). */
    static <T> T read(SpecMap m, int rank, Maker<T> maker) {
        return maker.make(m.requireInt("filters"), list(SpecMap.ints(m.require("kernel_size"),
                rank)), list(m.getInts("strides", rank, null)), m.getString("padding", "valid"),
                list(m.getInts("output_padding", rank, null)),
                list(m.getInts("dilation_rate", rank, null)),
                Activation.parse(m.get("activation")), m.getBoolean("use_bias", true),
                Initializers.parse(m.get("kernel_initializer"), null),
                Initializers.parse(m.get("bias_initializer"), null),
                Regularizers.parse(m.get("kernel_regularizer")),
                Regularizers.parse(m.get("bias_regularizer")));
    }

    private static List<Integer> list(int[] v) {
        return v == null ? null : Arrays.stream(v).boxed().toList();
    }

    /** {@code 3} for one axis, {@code [3, 3]} otherwise (Keras writes tuples). */
    private static Object value(List<Integer> v) {
        return v.size() == 1 ? v.get(0) : v;
    }

    /** Checks and completes the settings of a transposed convolution of {@code rank}. */
    final class Settings {
        private Settings() {}

        static List<Integer> ints(String type, String setting, List<Integer> v, int rank,
                int dflt, int min) {
            List<Integer> out = v == null ? Collections.nCopies(rank, dflt) : v;
            if (out.size() != rank || out.stream().anyMatch(x -> x == null || x < min)) {
                String what = min == 0 ? "non-negative" : "positive";
                throw new SpecException(type, setting, "expected " + (rank == 1 ? "a " + what
                        + " integer" : rank + " " + what + " integers") + ", received " + setting
                        + "=" + (v != null && v.size() == 1 ? v.get(0) : v));
            }
            return List.copyOf(out);
        }

        static String padding(String type, String padding) {
            String p = padding == null ? "valid" : padding;
            if (!p.equals("valid") && !p.equals("same")) {
                throw new SpecException(type, "padding", "expected 'valid' or 'same', received"
                        + " padding='" + p + "'" + (p.equalsIgnoreCase("same")
                        || p.equalsIgnoreCase("valid") ? "; write it in lower case" : ""));
            }
            return p;
        }

        /** The checks that involve several settings (Keras's and TensorFlow's). */
        static void check(String type, int filters, List<Integer> strides,
                List<Integer> outputPadding, List<Integer> dilation) {
            if (filters <= 0) {
                throw new SpecException(type, "filters",
                        "expected a positive integer, received filters=" + filters);
            }
            if (strides.stream().anyMatch(s -> s > 1) && dilation.stream().anyMatch(d -> d > 1)) {
                throw new SpecException(type, "dilation_rate", "expected strides=1 when"
                        + " dilation_rate>1 (Keras allows only one of them), received strides="
                        + show(strides) + ", dilation_rate=" + show(dilation));
            }
            if (outputPadding != null) {
                for (int i = 0; i < strides.size(); i++) {
                    if (outputPadding.get(i) >= strides.get(i)) {
                        throw new SpecException(type, "output_padding", "expected each value"
                                + " below the stride of its axis (strides=" + show(strides)
                                + "), received output_padding=" + show(outputPadding));
                    }
                }
            }
        }

        private static String show(List<Integer> v) {
            return v.size() == 1 ? String.valueOf(v.get(0)) : String.valueOf(v);
        }
    }
}
