package dev.lamina.models.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import dev.lamina.engine.Gradients;
import dev.lamina.Model;
import dev.lamina.data.Dataset;
import dev.lamina.engine.ConvKernel;
import dev.lamina.losses.Losses;
import dev.lamina.train.Compiled;
import dev.lamina.train.History;
import dev.lamina.train.NonFiniteLossException;
import dev.lamina.train.Trainable;
import dev.lamina.train.TrainingLoss;
import dev.lamina.train.TrainingStep;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adversarial training as a {@link TrainingStep}: for each batch of real samples, one
 * discriminator update; after every {@code d_steps} of them, one generator update against the
 * discriminator as it now is (Goodfellow et al., 2014, Algorithm 1).
 *
 * <p>Discriminator: binary cross-entropy of its scores on the real batch (label 1, or the
 * smoothed real label) and on as many generated samples (label 0), over both halves together,
 * plus its layers' penalties; the generated samples are cut from the generator's graph, so no
 * generator weight gets a gradient. Generator: the non-saturating loss, the cross-entropy of the
 * discriminator's scores on fresh samples against label 1 ({@code −log D(G(z))}), plus the
 * generator's penalties; only the generator's optimizer steps. Each model keeps its own DJL
 * trainer and optimizer, and its gradients are cleared before its own backward pass (PyTorch adds
 * a new gradient to the old one, and the generator's pass reaches the discriminator's weights).
 * Weights move only in their own model's update; batch-norm running statistics follow every
 * training-mode pass, as in Keras.
 *
 * <p>The loop's {@code compute} is the discriminator's gradient (its loss is the one the loop
 * guards), {@code apply} its update and then the generator's; a generator loss that is not finite
 * stops training before the generator's weights change.
 */
public final class AdversarialStep implements TrainingStep {
    private final Gan gan;
    private Trainer gTrainer;
    private Trainer dTrainer;
    private Optimizer gOptimizer;
    private Optimizer dOptimizer;
    private TrainingLoss gLoss;
    private TrainingLoss dLoss;
    private NDManager batch;
    private int rows;
    private long dUpdates;
    private int epoch = -1;
    private int batchInEpoch;
    private final double[] sums = new double[4]; // d_loss, g_loss, d_real, d_fake
    private int dCount;
    private int gCount;

    /** The step that trains {@code gan}. */
    public AdversarialStep(Gan gan) {
        this.gan = gan;
    }

    @Override
    public void begin(Trainable model, int batchSize) {
        Gan.Settings s = gan.settings();
        Model g = gan.generator();
        Model d = gan.discriminator();
        Compiled gc = new Compiled(optimizer(g), Losses.binaryCrossentropy(s.fromLogits()), List.of());
        Compiled dc = new Compiled(optimizer(d), Losses.binaryCrossentropy(s.fromLogits()), List.of());
        gLoss = TrainingLoss.of(gc, g);
        dLoss = TrainingLoss.of(dc, d);
        gOptimizer = gc.optimizer().toDjl(g.block().getParameters());
        dOptimizer = dc.optimizer().toDjl(d.block().getParameters());
        gTrainer = g.djlModel().newTrainer(new DefaultTrainingConfig(gLoss).optOptimizer(gOptimizer)
                .optDevices(new ai.djl.Device[] {g.device()}));
        gTrainer.initialize(new Shape(batchSize, s.noise()));
        dTrainer = d.djlModel().newTrainer(new DefaultTrainingConfig(dLoss).optOptimizer(dOptimizer)
                .optDevices(new ai.djl.Device[] {d.device()}));
        dTrainer.initialize(new Shape(batchSize).addAll(d.inputShapes().get(0)));
    }

    private static dev.lamina.optimizers.OptimizerSpec optimizer(Model m) {
        return m.compiled() != null ? m.compiled().optimizer() : Gan.DEFAULT_OPTIMIZER;
    }

    @Override
    public void beginEpoch() {
        epoch++;
        batchInEpoch = 0;
        java.util.Arrays.fill(sums, 0);
        dCount = 0;
        gCount = 0;
    }

    @Override
    public NDArray compute(NDManager bm, Dataset data, int[] idx) {
        batch = bm;
        rows = idx.length;
        batchInEpoch++;
        NDArray real = data.inputs(bm, idx).singletonOrThrow();
        NDArray z = bm.randomNormal(new Shape(rows, gan.settings().noise()));
        clearGradients(gan.discriminator());
        NDArray loss;
        NDArray pReal;
        NDArray pFake;
        try (GradientCollector collector = dTrainer.newGradientCollector();
                ConvKernel.Marked marked = ConvKernel.markData(new NDList(real, z))) {
            NDArray fake = gTrainer.forward(new NDList(z)).singletonOrThrow().stopGradient();
            pReal = dTrainer.forward(new NDList(real)).singletonOrThrow();
            pFake = dTrainer.forward(new NDList(fake)).singletonOrThrow();
            NDArray labels = NDArrays.concat(new NDList(
                    bm.full(pReal.getShape(), (float) gan.settings().realLabel(), pReal.getDataType()),
                    bm.zeros(pFake.getShape(), pFake.getDataType())));
            loss = dLoss.evaluate(new NDList(labels), new NDList(NDArrays.concat(
                    new NDList(pReal, pFake))));
            collector.backward(loss);
        }
        double l = loss.toType(DataType.FLOAT64, false).getDouble();
        sums[0] += l * rows;
        sums[2] += probability(pReal) * rows;
        sums[3] += probability(pFake) * rows;
        dCount += rows;
        return loss;
    }

    /** The mean probability of being real among {@code scores}. */
    private double probability(NDArray scores) {
        NDArray p = gan.settings().fromLogits() ? ai.djl.nn.Activation.sigmoid(scores) : scores;
        return p.mean().toType(DataType.FLOAT64, false).getDouble();
    }

    @Override
    public void apply() {
        dTrainer.step();
        dUpdates++;
        if (dUpdates % gan.settings().dSteps() == 0) {
            generatorStep();
        }
    }

    /** The generator's update: −log D(G(z)) on a fresh batch of noise, its weights only. */
    private void generatorStep() {
        NDArray z = batch.randomNormal(new Shape(rows, gan.settings().noise()));
        clearGradients(gan.generator());
        NDArray loss;
        try (GradientCollector collector = gTrainer.newGradientCollector();
                ConvKernel.Marked marked = ConvKernel.markData(new NDList(z))) {
            NDArray fake = gTrainer.forward(new NDList(z)).singletonOrThrow();
            NDArray p = dTrainer.forward(new NDList(fake)).singletonOrThrow();
            loss = gLoss.evaluate(new NDList(batch.ones(p.getShape(), p.getDataType())),
                    new NDList(p));
            collector.backward(loss);
        }
        double l = loss.toType(DataType.FLOAT64, false).getDouble();
        if (!Double.isFinite(l)) {
            throw new NonFiniteLossException(epoch + 1, batchInEpoch, l, Double.NaN,
                    "in the generator's update (g_loss)", new History());
        }
        gTrainer.step();
        sums[1] += l * rows;
        gCount += rows;
    }

    /** Zeroes the gradients held by {@code m}'s weights. */
    static void clearGradients(Model m) {
        for (Pair<String, Parameter> p : m.block().getParameters()) {
            NDArray w = p.getValue().isInitialized() ? p.getValue().getArray() : null;
            if (w != null && w.hasGradient()) {
                NDArray g = w.getGradient();
                Gradients.clear(w, g);
            }
        }
    }

    @Override
    public double learningRate() {
        return Double.NaN;
    }

    @Override
    public Map<String, Double> epochLogs() {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("d_loss", dCount == 0 ? Double.NaN : sums[0] / dCount);
        out.put("g_loss", gCount == 0 ? Double.NaN : sums[1] / gCount);
        out.put("d_real", dCount == 0 ? Double.NaN : sums[2] / dCount);
        out.put("d_fake", dCount == 0 ? Double.NaN : sums[3] / dCount);
        return out;
    }

    @Override
    public Map<String, Double> validate(Dataset data, int batchSize) {
        throw new IllegalArgumentException("a GAN has no validation loss to report");
    }

    /** Frees both trainers and the optimizers' state. */
    @Override
    public void close() {
        try {
            closeAll(gTrainer, dTrainer);
        } finally {
            for (Optimizer o : new Optimizer[] {gOptimizer, dOptimizer}) {
                if (o instanceof AutoCloseable state) {
                    try {
                        state.close();
                    } catch (Exception e) {
                        throw new IllegalStateException("could not free the optimizer's state", e);
                    }
                }
            }
        }
    }

    private static void closeAll(Trainer a, Trainer b) {
        try {
            if (a != null) {
                a.close();
            }
        } finally {
            if (b != null) {
                b.close();
            }
        }
    }
}
