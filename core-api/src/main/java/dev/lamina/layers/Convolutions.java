package dev.lamina.layers;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Convolution;
import dev.lamina.engine.ConvKernel;
import dev.lamina.initializers.InitializerSpec;
import dev.lamina.initializers.Initializers;
import dev.lamina.regularizers.RegularizerSpec;
import dev.lamina.regularizers.Regularizers;
import dev.lamina.spec.BuildContext;
import dev.lamina.spec.Spec;
import dev.lamina.spec.SpecException;
import dev.lamina.spec.SpecMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The checks and the block shared by {@link Conv1d} and {@link Conv2d}: DJL's convolution (the
 * same numbers on both engines) run through the kernel check's {@link ConvKernel}, Lamina's initializers, and Keras's {@code same} padding. When
 * {@code same} needs an odd total pad on some axis, DJL's symmetric padding cannot express it, so
 * the input is padded explicitly (extra zero at the end) and the convolution runs {@code valid}.
 */
final class Convolutions {
    private Convolutions() {}

    /** Checks the settings every convolution has. */
    static void check(String type, int n, int filters, List<Integer> kernel, List<Integer> strides,
            List<Integer> dilation) {
        if (filters <= 0) {
            throw new SpecException(type, "filters",
                    "expected a positive integer, received filters=" + filters);
        }
        boolean strided = strides.stream().anyMatch(s -> s > 1);
        boolean dilated = dilation.stream().anyMatch(d -> d > 1);
        if (strided && dilated) {
            throw new SpecException(type, "dilation_rate", "expected strides=1 when dilation_rate>1"
                    + " (Keras allows only one of them), received strides=" + Spatial.show(strides)
                    + ", dilation_rate=" + Spatial.show(dilation));
        }
    }

    /** The block: [explicit pad] → DJL convolution → activation, with weight penalties by name. */
    static Block block(BuildContext ctx, Shape input, int n, int filters, List<Integer> kernel,
            List<Integer> strides, String padding, List<Integer> dilation, Activation activation,
            boolean useBias, InitializerSpec kernelInit, InitializerSpec biasInit,
            RegularizerSpec kernelReg, RegularizerSpec biasReg) {
        int[][] pads = padding.equals("same") ? Spatial.pads(input, kernel, strides, dilation)
                : new int[n][2];
        boolean explicit = !Spatial.symmetric(pads);
        Shape djlPad = Spatial.shape(explicit ? 0 : pads[0][0], n);
        if (!explicit) {
            long[] p = new long[n];
            for (int i = 0; i < n; i++) {
                p[i] = pads[i][0];
            }
            djlPad = new Shape(p);
        }
        Convolution conv;
        if (n == 1) {
            conv = ai.djl.nn.convolutional.Conv1d.builder().setKernelShape(Spatial.shape(kernel))
                    .optStride(Spatial.shape(strides)).optDilation(Spatial.shape(dilation))
                    .optPadding(djlPad).setFilters(filters).optBias(useBias).build();
        } else {
            conv = ai.djl.nn.convolutional.Conv2d.builder().setKernelShape(Spatial.shape(kernel))
                    .optStride(Spatial.shape(strides)).optDilation(Spatial.shape(dilation))
                    .optPadding(djlPad).setFilters(filters).optBias(useBias).build();
        }
        conv.setInitializer(kernelInit.toDjl(ctx.random()), Parameter.Type.WEIGHT);
        if (useBias) {
            conv.setInitializer(biasInit.toDjl(ctx.random()), Parameter.Type.BIAS);
        }
        Map<String, RegularizerSpec> regs = new HashMap<>();
        regs.put("weight", kernelReg);
        regs.put("bias", useBias ? biasReg : null);
        LayerBlock block = !explicit ? new LayerBlock(conv, activation, regs)
                : new LayerBlock(conv, activation, regs, x -> Spatial.pad(x, pads, 0),
                        s -> Spatial.paddedShape(s, pads));
        // DJL's block keeps the parameters (and the saved file); the pass runs through the
        // kernel check's ConvKernel, which pads the channels where oneDNN needs it
        Parameter weight = conv.getParameters().get("weight");
        Parameter bias = useBias ? conv.getParameters().get("bias") : null;
        Convolution c = conv;
        return block.runCore((ps, x, training) -> ConvKernel.checked(x,
                ps.getValue(weight, x.getDevice(), training),
                bias == null ? null : ps.getValue(bias, x.getDevice(), training),
                c.getStride(), c.getPadding(), c.getDilation(), c.getGroups()));
    }

    /** A convolution's canonical constructor. */
    @FunctionalInterface
    interface Maker<T> {
        /** The layer with these settings (nulls take Keras's defaults). */
        T make(int filters, List<Integer> kernel, List<Integer> strides, String padding,
                List<Integer> dilation, Activation activation, boolean useBias,
                InitializerSpec kernelInit, InitializerSpec biasInit, RegularizerSpec kernelReg,
                RegularizerSpec biasReg);
    }

    /** Reads a convolution of {@code rank} from its config (Keras names; ints or lists). */
    static <T> T read(SpecMap m, int rank, Maker<T> maker) {
        return maker.make(m.requireInt("filters"), Spatial.requireInts(m, "kernel_size", rank),
                Spatial.ints(m, "strides", rank, null), m.getString("padding", "valid"),
                Spatial.ints(m, "dilation_rate", rank, null),
                Activation.parse(m.get("activation")), m.getBoolean("use_bias", true),
                Initializers.parse(m.get("kernel_initializer"), null),
                Initializers.parse(m.get("bias_initializer"), null),
                Regularizers.parse(m.get("kernel_regularizer")),
                Regularizers.parse(m.get("bias_regularizer")));
    }

    /** The config map shared by both convolutions, in Keras's order and names. */
    static Map<String, Object> config(int filters, List<Integer> kernel, List<Integer> strides,
            String padding, List<Integer> dilation, Activation activation, boolean useBias,
            InitializerSpec kernelInit, InitializerSpec biasInit, RegularizerSpec kernelReg,
            RegularizerSpec biasReg) {
        return Spec.ordered("filters", filters,
                "kernel_size", Spatial.value(kernel),
                "strides", Spatial.value(strides), "padding", padding,
                "dilation_rate", Spatial.value(dilation), "activation", activation.toValue(),
                "use_bias", useBias, "kernel_initializer", kernelInit.toMap(),
                "bias_initializer", biasInit.toMap(), "kernel_regularizer", kernelReg,
                "bias_regularizer", biasReg);
    }
}
