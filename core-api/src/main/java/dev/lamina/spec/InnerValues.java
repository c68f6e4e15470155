package dev.lamina.spec;

/**
 * A block whose forward pass holds more values per sample than its output shows: a recurrent
 * layer keeps its gates and states for every step, (steps × (gates + states) × units) values,
 * against one step's units in its output. The inference batch budget counts them.
 */
public interface InnerValues {
    /** The values one sample's forward pass holds inside the block; 0 before it is built. */
    long innerValuesPerSample();
}
