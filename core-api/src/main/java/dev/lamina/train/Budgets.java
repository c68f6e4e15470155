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
 *   <li>{@value #INFERENCE_PROPERTY} (default {@value #INFERENCE_MIB}): evaluation and
 *       prediction (and a fit's validation) use batches as large as this budget allows for the
 *       model's activations (every layer's output and a recurrent layer's gates and states at
 *       every step, twice over, 4 bytes a value), at least the batch size asked for and at most
 *       {@value #MAX_INFERENCE_BATCH}. Every bench model evaluated fastest in the largest batches
 *       on both engines: on PyTorch, with Lamina's allocator settings (see {@code
 *       engine.NativeHeap}), in batches of 512 against 128, LeNet 46,000–50,000 against
 *       29,500–30,100 samples a second, the LSTM 47,000 against 23,000; on MXNet (two runs of
 *       eight alternating passes) LeNet 15,000–16,900 against 13,600–14,300, the ResNet
 *       5,400–5,800 against 4,600–5,500, the LSTM 28,400–30,300 against 21,300–22,100. (MXNet's
 *       budget was 8 MiB, sized for the CPU's caches, while its convolutions at inference ran in
 *       its slower inference mode: the ResNet then evaluated 9,100 samples a second in batches of
 *       128 and 4,800 in batches of 512.) Inference keeps no activations for gradients (but for a
 *       recurrent kernel that predicts in training mode where its inference mode is wrong). A
 *       batch's size can change a prediction in its last bits, where a kernel sums in another
 *       order for another shape: between batches of 128 and 512 the bench's LeNet and LSTM
 *       predict the same bits on both engines, its MLP on MXNet and ResNet on PyTorch differ by
 *       at most 1.5e-6 (on outputs up to 4).
 * </ul>
 */
public final class Budgets {
    /** The system property of the data budget, in MiB. */
    public static final String DATA_PROPERTY = "lamina.data.engine.mib";
    /** The system property of the inference budget, in MiB. */
    public static final String INFERENCE_PROPERTY = "lamina.inference.mib";
    /** The default inference budget, in MiB. */
    static final int INFERENCE_MIB = 256;
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
        long fits = mib(INFERENCE_PROPERTY, INFERENCE_MIB) / (values * 4 * 2);
        return (int) Math.max(requested, Math.min(MAX_INFERENCE_BATCH, fits));
    }
}
