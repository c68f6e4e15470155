package dev.lamina.train;

/**
 * Keras's {@code TerminateOnNaN}: a NaN or infinite training loss stops {@code fit}. Lamina does
 * this by default ({@link FitOptions#terminateOnNan(boolean)}); giving this callback turns it on
 * even where the options turned it off, and means the same: training stops at the first batch
 * whose loss is not finite, before that batch changes a weight, with {@link
 * NonFiniteLossException} (Keras stops after the batch, with the weights it made).
 */
public final class TerminateOnNaN implements Callback {
    /** The name in run files. */
    public static final String TYPE = "terminate_on_nan";
}
