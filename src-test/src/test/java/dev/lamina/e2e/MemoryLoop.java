package dev.lamina.e2e;

import ai.djl.ndarray.types.Shape;
import dev.lamina.Sequential;
import dev.lamina.data.Dataset;
import dev.lamina.data.Tensor;
import dev.lamina.layers.Conv2d;
import dev.lamina.layers.Dense;
import dev.lamina.layers.Dropout;
import dev.lamina.layers.Flatten;
import dev.lamina.layers.MaxPool2d;
import dev.lamina.losses.Losses;
import dev.lamina.metrics.Metrics;
import dev.lamina.optimizers.Optimizers;
import dev.lamina.train.BackupAndRestore;
import dev.lamina.train.Callback;
import dev.lamina.train.FitContext;
import dev.lamina.train.FitOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/**
 * A process for {@link ResidentMemoryTest}: trains a small CNN on engine {@code args[0]} for
 * {@code args[1]} epochs (with validation, metrics and a checkpoint every epoch in
 * {@code args[2]}) and prints its resident memory after each epoch: "rss EPOCH KIB".
 */
public final class MemoryLoop {
    private MemoryLoop() {}

    /** The process's resident set (VmRSS), in KiB. */
    static long rssKib() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    public static void main(String[] args) throws Exception {
        Random r = new Random(1);
        int n = 640;
        float[] x = new float[n * 144];
        float[] y = new float[n];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < n; i++) {
            y[i] = x[i * 144] > 0 ? 1 : 0;
        }
        Dataset d = new Dataset("noise", new Tensor(x, new Shape(1, 12, 12)), Tensor.scalars(y));
        try (Sequential m = new Sequential("memory").input(1, 12, 12)) {
            m.add(new Conv2d(8, 3, 1, "same", "relu")).add(new MaxPool2d()).add(new Flatten())
                    .add(new Dense(32, "relu")).add(new Dropout(0.2)).add(new Dense(2));
            m.engine(args[0]).seed(3);
            m.compile(Optimizers.adam(0.001), Losses.softmaxCrossEntropy(), Metrics.accuracy());
            Callback print = new Callback() {
                @Override
                public void onEpochEnd(int epoch, Map<String, Double> logs, FitContext run) {
                    try {
                        System.out.println("rss " + (epoch + 1) + " " + rssKib());
                        System.out.flush();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            };
            m.fit(d, FitOptions.defaults().epochs(Integer.parseInt(args[1])).batchSize(32)
                    .validationSplit(0.2).callbacks(print)
                    .backupAndRestore(new BackupAndRestore(Path.of(args[2]))));
        }
    }
}
