package dev.lamina.train;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * What the training loop needs of a model: its weights (a built DJL model and block), where they
 * live, its inputs and outputs, a seed per fit, and saving. {@code dev.lamina.Model} is one; the
 * loop knows nothing else about models, so every training procedure can run on any of them.
 */
public interface Trainable {
    /** The model's name, for messages. */
    String name();

    /** The DJL model that owns the weights (built on first use). */
    ai.djl.Model djlModel();

    /** The DJL block (built on first use). */
    Block block();

    /** The device the weights live on. */
    Device device();

    /** The per-sample input shapes. */
    List<Shape> inputShapes();

    /** The output names, used to name per-output losses and metrics. */
    List<String> outputNames();

    /**
     * The values a sample's forward pass makes (every layer's output, and each recurrent layer's
     * gates and states for every step), for sizing inference batches; 0 when unknown.
     */
    default long valuesPerSample() {
        return 0;
    }

    /**
     * Whether training draws random numbers from the engine (dropout, noise): then the loop seeds
     * the engine before every update, so that a resumed run draws what the killed one would
     * have. True unless the model knows better.
     */
    default boolean drawsOnEngine() {
        return true;
    }

    /** The seed for the next fit (a new one each call, repeatable from the model's seed). */
    long nextFitSeed();

    /**
     * After a non-finite loss, a clause saying which layer's output on {@code x} is the first that
     * is not finite, or null when this kind of model cannot tell.
     */
    default String describeNonFinite(NDList x) {
        return null;
    }

    /**
     * A training update begins: the draws layers make in Java during it (augmentation) follow
     * from {@code seed}. Nothing by default.
     */
    default void beginUpdate(long seed) {}

    /** Saves the model (architecture, settings and weights) to directory {@code dir}. */
    void save(Path dir) throws IOException;
}
