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
 *   <li>{@value #INFERENCE_PROPERTY} (default {@value #MXNET_INFERENCE_MIB} on MXNet, {@value
 *       #TORCH_INFERENCE_MIB} on PyTorch): evaluation and prediction (and a fit's validation)
 *       use batches as large as this budget allows for the model's activations (every layer's
 *       output and a recurrent layer's gates and states at every step, twice over, 4 bytes a
 *       value), at least the batch size asked for and at most {@value #MAX_INFERENCE_BATCH}.
 *       MXNet's is sized for a CPU's caches: there larger batches measured slower (the bench's
 *       small residual graph, 0.5 MB of activations a sample, evaluated at 9,100 samples a second
 *       in batches of 128 and 4,800 in batches of 512; its LSTM 32,600 and 44,500). PyTorch, with
 *       Lamina's allocator settings (see {@code engine.NativeHeap}), was faster in the largest
 *       batches for every bench model: in batches of 512 against 128, LeNet 46,000–50,000
 *       against 29,500–30,100 samples a second, the ResNet 12,500–12,900 against
 *       11,000–12,300, the LSTM 47,000 against 23,000; the budget of 256 MiB gives the ResNet
 *       batches of 256 (64 MiB gave 128): 7,666 against 7,202 samples a second in one bench run,
 *       3.34 against 3.14 times its training throughput. Inference keeps no activations for
 *       gradients (but for a recurrent kernel that predicts in training mode where its inference
 *       mode is wrong), and a batch's size changes no prediction.
 * </ul>
 */
public final class Budgets {
    /** The system property of the data budget, in MiB. */
    public static final String DATA_PROPERTY = "lamina.data.engine.mib";
    /** The system property of the inference budget, in MiB. */
    public static final String INFERENCE_PROPERTY = "lamina.inference.mib";
    /** The default inference budget on MXNet, in MiB. */
    static final int MXNET_INFERENCE_MIB = 8;
    /** The default inference budget on PyTorch, in MiB. */
    static final int TORCH_INFERENCE_MIB = 256;
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
        boolean torch = model.djlModel().getNDManager().getEngine().getEngineName().equals("PyTorch");
        long fits = mib(INFERENCE_PROPERTY, torch ? TORCH_INFERENCE_MIB : MXNET_INFERENCE_MIB)
                / (values * 4 * 2);
        return (int) Math.max(requested, Math.min(MAX_INFERENCE_BATCH, fits));
    }
}
