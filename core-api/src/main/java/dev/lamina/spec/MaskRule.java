package dev.lamina.spec;

/**
 * What a layer does with a mask over time steps, as Keras's masking: {@code masking} and
 * {@code embedding} with {@code mask_zero} make one, recurrent layers and attention read it, and
 * layers that act on each step alone pass it on.
 *
 * <p>A mask is a (batch, time) array in the data's type, 1 for a step to use and 0 for a masked
 * one. A model carries it beside the data from the layer that makes it to the layers after; a
 * layer that takes it receives it as the last array of its input list.
 */
public enum MaskRule {
    /**
     * The mask stops here: the layer neither reads it nor passes it on (Keras 3 warns that such a
     * layer "will destroy the mask"). The default, and right for layers that change the time axis,
     * such as {@code flatten} or {@code conv1d}.
     */
    STOPS,
    /** The layer acts on each step alone ({@code dense}, {@code dropout}, ...): the mask passes on. */
    PASSES,
    /** The layer makes a new mask from its input: its block returns the mask as its last output. */
    MAKES,
    /** The layer reads the mask and its output has no time axis left (a recurrent layer's last step). */
    TAKES,
    /** The layer reads the mask and its output keeps the time axis, so the mask passes on. */
    TAKES_AND_PASSES;

    /** True when the layer's block receives the mask as its last input. */
    public boolean takes() {
        return this == TAKES || this == TAKES_AND_PASSES;
    }

    /** True when the mask (the same one) comes with the layer's output. */
    public boolean passes() {
        return this == PASSES || this == TAKES_AND_PASSES;
    }
}
