package dev.lamina.train;

import ai.djl.nn.Block;
import dev.lamina.data.Dataset;
import java.util.Map;

/**
 * A layer with an unsupervised pretraining phase that runs before supervised fine-tuning: the
 * restricted Boltzmann machines of a deep belief network, a stack of (denoising) autoencoders.
 * A {@link dev.lamina.spec.LayerSpec} implements it; {@code Sequential.pretrain} runs it on the
 * outputs of the layers below it, and {@code lamina train} runs that before {@code fit}.
 *
 * <p>Each phase of a layer (one RBM of a stack, say) is a procedure of the shared {@link
 * TrainingLoop}, so it has epochs, shuffling, progress lines and a {@link History} as {@code fit}
 * does.
 */
public interface Pretrainable {
    /**
     * Sets the weights of {@code block} (this layer's block in the built model) by pretraining on
     * {@code inputs}, the layer's inputs for the training samples (unlabelled). Returns one
     * history per phase, keyed by the phase's name ({@code dbn/rbm1}, ...), in order.
     */
    Map<String, History> pretrain(Block block, Dataset inputs, Pretraining how);
}
