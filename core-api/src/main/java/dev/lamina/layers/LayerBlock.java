package dev.lamina.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.lamina.regularizers.RegularizerSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A DJL block (the "core": a Linear, a convolution, ...) followed by an activation, with weight
 * penalties attached to the core's parameters by name. The model collects the penalties of every
 * {@code LayerBlock} into the training loss.
 */
public final class LayerBlock extends AbstractBlock {
    private static final byte VERSION = 1;
    private final Block core;
    private final Activation activation;
    private final Map<String, RegularizerSpec> regularizers;
    private final UnaryOperator<NDArray> before;
    private final UnaryOperator<Shape> beforeShape;
    private CoreForward coreForward;

    /** The core's forward pass computed by other means from the core's own parameters. */
    @FunctionalInterface
    public interface CoreForward {
        /** The core's output for input {@code x}. */
        NDArray forward(ParameterStore ps, NDArray x, boolean training);
    }

    /**
     * Wraps {@code core}; {@code regularizers} maps a parameter name of the core ({@code weight},
     * {@code bias}) to its penalty (null entries are ignored).
     */
    public LayerBlock(Block core, Activation activation, Map<String, RegularizerSpec> regularizers) {
        this(core, activation, regularizers, null, null);
    }

    /**
     * As above, with {@code before} applied to the input ahead of the core (a convolution's
     * asymmetric "same" padding); {@code beforeShape} maps the input shape (with batch) the same
     * way.
     */
    public LayerBlock(Block core, Activation activation, Map<String, RegularizerSpec> regularizers,
            UnaryOperator<NDArray> before, UnaryOperator<Shape> beforeShape) {
        super(VERSION);
        this.before = before;
        this.beforeShape = before == null ? null : beforeShape;
        this.core = addChildBlock("core", core);
        this.activation = activation == null ? Activation.LINEAR : activation;
        this.regularizers = new LinkedHashMap<>();
        regularizers.forEach((k, v) -> {
            if (v != null) {
                this.regularizers.put(k, v);
            }
        });
    }

    /**
     * Runs the core's forward pass through {@code f} instead of the core's own (the parameters,
     * their initialisation and the saved file stay the core's); returns this block.
     */
    public LayerBlock runCore(CoreForward f) {
        this.coreForward = f;
        return this;
    }

    /** The wrapped block. */
    public Block core() {
        return core;
    }

    /** The weight penalties of this layer's parameters (as they are now). */
    public List<NDArray> penalties() {
        List<NDArray> out = new ArrayList<>();
        for (Map.Entry<String, RegularizerSpec> e : regularizers.entrySet()) {
            Parameter p = core.getParameters().get(e.getKey());
            if (p != null && p.isInitialized()) {
                out.add(e.getValue().penalty(p.getArray()));
            }
        }
        return out;
    }

    /** True when some parameter of this layer carries a penalty. */
    public boolean hasPenalties() {
        return !regularizers.isEmpty();
    }

    /** The activation this layer ends with ({@link Activation#LINEAR} when none). */
    public Activation activation() {
        return activation;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDList out = forwardBeforeActivation(ps, inputs, training, params);
        if (activation.isLinear()) {
            return out;
        }
        return new NDList(activation.apply(out.singletonOrThrow()));
    }

    /**
     * The layer's output before its activation: what the core computes. For a model that applies
     * the activation later itself ({@link ReluMaxPool}).
     */
    public NDList forwardBeforeActivation(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDList in = before == null ? inputs : new NDList(before.apply(inputs.singletonOrThrow()));
        return coreForward != null
                ? new NDList(coreForward.forward(ps, in.singletonOrThrow(), training))
                : core.forward(ps, in, training, params);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return core.getOutputShapes(coreShapes(inputShapes));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        core.initialize(manager, dataType, coreShapes(inputShapes));
    }

    private Shape[] coreShapes(Shape[] inputShapes) {
        return beforeShape == null ? inputShapes : new Shape[] {beforeShape.apply(inputShapes[0])};
    }
}
