package dev.lamina.models.layers;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import dev.lamina.layers.Activation;
import dev.lamina.layers.Conv2d;
import dev.lamina.layers.MaxPool2d;
import dev.lamina.spec.BuildContext;
import dev.lamina.spec.LayerSpec;
import dev.lamina.spec.ShapeException;
import dev.lamina.spec.Spec;
import dev.lamina.spec.SpecException;
import dev.lamina.spec.SpecMap;
import java.util.List;
import java.util.Map;

/**
 * The Inception module of GoogLeNet (Szegedy et al. 2015, "Going Deeper with Convolutions"): four
 * parallel paths over a (channels, height, width) input, concatenated on the channel axis.
 *
 * <ol>
 *   <li>1×1 convolution, {@code filters_1x1} filters;
 *   <li>1×1 convolution to {@code filters_3x3_reduce} channels, then 3×3 to {@code filters_3x3};
 *   <li>1×1 convolution to {@code filters_5x5_reduce} channels, then 5×5 to {@code filters_5x5};
 *   <li>3×3 max pooling (stride 1, {@code same}), then 1×1 convolution to {@code pool_proj}.
 * </ol>
 *
 * Every convolution has stride 1, {@code same} padding, a bias and {@code activation} (defaults to
 * {@code relu}, as in the paper). The paths are Lamina's {@link Conv2d} and {@link MaxPool2d}, so
 * padding follows Keras (padded elements never win the maximum).
 *
 * <p>Input (C, H, W); output (filters_1x1 + filters_3x3 + filters_5x5 + pool_proj, H, W).
 * Parameters: k·k·in·out + out per convolution. Defaults are GoogLeNet's inception (3a): 64, 96,
 * 128, 16, 32, 32 (256 output channels; 163,696 parameters on 192 input channels).
 */
public record Inception(int filters1x1, int filters3x3Reduce, int filters3x3, int filters5x5Reduce,
        int filters5x5, int poolProj, Activation activation) implements LayerSpec {
    public static final String TYPE = "inception";
    static final String SHAPE = "(channels, height, width)";

    public Inception {
        positive("filters_1x1", filters1x1);
        positive("filters_3x3_reduce", filters3x3Reduce);
        positive("filters_3x3", filters3x3);
        positive("filters_5x5_reduce", filters5x5Reduce);
        positive("filters_5x5", filters5x5);
        positive("pool_proj", poolProj);
        activation = activation == null ? Residual.RELU : activation;
    }

    /** GoogLeNet's inception (3a): 64, 96, 128, 16, 32, 32, relu. */
    public Inception() {
        this(64, 96, 128, 16, 32, 32, null);
    }

    /** The given widths, relu. */
    public Inception(int filters1x1, int filters3x3Reduce, int filters3x3, int filters5x5Reduce,
            int filters5x5, int poolProj) {
        this(filters1x1, filters3x3Reduce, filters3x3, filters5x5Reduce, filters5x5, poolProj,
                null);
    }

    private static void positive(String setting, int v) {
        if (v <= 0) {
            throw new SpecException(TYPE, setting,
                    "expected a positive integer, received " + setting + "=" + v);
        }
    }

    @Override
    public String type() {
        return TYPE;
    }

    private Conv2d conv(int filters, int kernel) {
        return new Conv2d(filters, List.of(kernel, kernel), List.of(1, 1), "same", null,
                activation, true, null, null, null, null);
    }

    /** The four paths as chains of Lamina layer specs. */
    List<List<LayerSpec>> paths() {
        return List.of(List.of(conv(filters1x1, 1)),
                List.of(conv(filters3x3Reduce, 1), conv(filters3x3, 3)),
                List.of(conv(filters5x5Reduce, 1), conv(filters5x5, 5)),
                List.of(new MaxPool2d(3, 1, "same"), conv(poolProj, 1)));
    }

    @Override
    public Shape outputShape(Shape in) {
        if (in.dimension() != 3 || in.size() <= 0) {
            throw new ShapeException("expected " + SHAPE + ", got " + in);
        }
        return new Shape(filters1x1 + filters3x3 + filters5x5 + poolProj, in.get(1), in.get(2));
    }

    @Override
    public Block toBlock(BuildContext ctx, Shape input) {
        outputShape(input);
        Block[] blocks = new Block[4];
        List<List<LayerSpec>> paths = paths();
        for (int p = 0; p < 4; p++) {
            SequentialBlock seq = new SequentialBlock();
            Shape s = input;
            for (LayerSpec l : paths.get(p)) {
                seq.add(l.toBlock(ctx, s));
                s = l.outputShape(s);
            }
            blocks[p] = seq;
        }
        return new InceptionBlock(List.of(blocks));
    }

    @Override
    public Map<String, Object> config() {
        return Spec.ordered("filters_1x1", filters1x1, "filters_3x3_reduce", filters3x3Reduce,
                "filters_3x3", filters3x3, "filters_5x5_reduce", filters5x5Reduce,
                "filters_5x5", filters5x5, "pool_proj", poolProj,
                "activation", activation.toValue());
    }

    /** Reads the settings written by {@link #config()}; every width has a default (inception 3a). */
    public static Inception fromMap(SpecMap m) {
        return new Inception(m.getInt("filters_1x1", 64), m.getInt("filters_3x3_reduce", 96),
                m.getInt("filters_3x3", 128), m.getInt("filters_5x5_reduce", 16),
                m.getInt("filters_5x5", 32), m.getInt("pool_proj", 32),
                m.has("activation") ? Activation.parse(m.get("activation")) : Residual.RELU);
    }
}
