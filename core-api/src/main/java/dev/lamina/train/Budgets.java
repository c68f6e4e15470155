package dev.lamina.train;

import dev.lamina.data.Dataset;

/**
 * The two memory budgets that decide how the loop moves data, each a system property in MiB.
 *
 * <ul>
 *   <li>{@value #DATA_PROPERTY} (default 1024): a fit whose training and validation data take at
 *       most this much (4 bytes a value) copies them to the engine once and gathers each batch
 *       there by index ({@link Dataset#onEngine}); larger data is gathered batch by batch in Java
 *       memory, a batch ahead on a second thread. Evaluation and prediction, one pass in order,
 *       send data in Java memory a batch at a time (see {@link Inference}).
 *   <li>{@value #INFERENCE_PROPERTY} (default 8): evaluation and prediction (and a fit's
 *       validation) use batches as large as this budget allows for the model's activations
 *       (every layer's output and a recurrent layer's gates and states at every step, twice over,
 *       4 bytes a value), at least the batch size asked for and at most {@value
 *       #MAX_INFERENCE_BATCH}. The budget is sized for a CPU's caches, not
 *       its memory: batches whose activations spill out of the cache measured slower, not faster
 *       (MXNet evaluated a small residual graph, 0.5 MB of activations a sample, at 2,746
 *       samples a second in batches of 512 and 7,233 in batches of 128; the MLP of the bench,
 *       9 KB a sample, was fastest at 512; PyTorch's LSTM kernel predicted 128 samples in 2 ms
 *       and 512 in 37). Inference keeps no activations for gradients (but for a recurrent
 *       kernel that predicts in training mode where its inference mode is wrong), and a batch's
 *       size changes no prediction.
 * </ul>
 */
public final class Budgets {
    /** The system property of the data budget, in MiB. */
    public static final String DATA_PROPERTY = "lamina.data.engine.mib";
    /** The system property of the inference budget, in MiB. */
    public static final String INFERENCE_PROPERTY = "lamina.inference.mib";
    /** The largest inference batch. */
    public static final int MAX_INFERENCE_BATCH = 512;

    private Budgets() {}

    private static long mib(String property, long dflt) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            return dflt << 20;
        }
        try {
            return Long.parseLong(v.strip()) << 20;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + property + " is a number of MiB, such as"
                    + " 1024; received '" + v + "'");
        }
    }

    /** True when {@code sets} (null entries skipped) fit the data budget together. */
    static boolean fitOnEngine(Dataset... sets) {
        long bytes = 0;
        for (Dataset d : sets) {
            bytes += d == null ? 0 : d.bytes();
        }
        return bytes <= mib(DATA_PROPERTY, 1024);
    }

    /** The batch size for inference with {@code model}: see the class. */
    static int inferenceBatch(Trainable model, int requested) {
        long values = model.valuesPerSample();
        if (values <= 0) {
            return requested;
        }
        long fits = mib(INFERENCE_PROPERTY, 8) / (values * 4 * 2);
        return (int) Math.max(requested, Math.min(MAX_INFERENCE_BATCH, fits));
    }
}
