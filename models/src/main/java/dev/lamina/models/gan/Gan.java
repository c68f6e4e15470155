package dev.lamina.models.gan;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.lamina.Lamina;
import dev.lamina.Model;
import dev.lamina.data.Dataset;
import dev.lamina.data.Tensor;
import dev.lamina.engine.Backend;
import dev.lamina.io.AtomicFiles;
import dev.lamina.io.InvalidModelException;
import dev.lamina.optimizers.OptimizerSpec;
import dev.lamina.optimizers.Optimizers;
import dev.lamina.train.FitOptions;
import dev.lamina.train.History;
import dev.lamina.train.Trainable;
import dev.lamina.train.TrainingLoop;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A generative adversarial network (Goodfellow et al., 2014): a generator, any Lamina model from
 * {@code noise} standard-normal values to a sample, trained against a discriminator, any Lamina
 * model from a sample to one score (the probability that the sample is real, or its logit with
 * {@code from_logits}). {@link #fit} trains both on the shared {@link TrainingLoop} with an
 * {@link AdversarialStep}, so epochs, batches, callbacks and the {@link History} ({@code d_loss},
 * {@code g_loss}, {@code d_real}, {@code d_fake}) are the loop's.
 *
 * <pre>{@code
 * Sequential g = new Sequential("generator").input(100);
 * g.add(new Dense(128, "relu")).add(new Dense(784, "sigmoid")).add(new Reshape(1, 28, 28));
 * Sequential d = new Sequential("discriminator").input(1, 28, 28);
 * d.add(new Flatten()).add(new Dense(128, "relu")).add(new Dense(1, "sigmoid"));
 * try (Gan gan = new Gan(g, d, Gan.Settings.of(100))) {
 *     gan.fit(images, FitOptions.defaults().epochs(5).batchSize(64));
 *     gan.save(Path.of("runs/gan/model"));
 * }
 * }</pre>
 *
 * <p>Each model trains with its own optimizer: the one it was compiled with, else Adam with
 * learning rate 2e-4 and beta_1 0.5 (Radford et al., 2015). The GAN takes ownership of both
 * models: closing it closes them.
 */
public final class Gan implements Trainable, AutoCloseable {
    /** The file beside the two saved models. */
    public static final String JSON = "gan.json";
    static final int FORMAT = 1;

    /** The optimizer of a model that was not compiled: Adam(2e-4, beta_1 0.5). */
    public static final OptimizerSpec DEFAULT_OPTIMIZER = Optimizers.adam(2e-4, 0.5, 0.999, 1e-7);

    /**
     * How the two models train: {@code noise} values per sample drawn from N(0, 1); {@code dSteps}
     * discriminator updates per generator update (Goodfellow's k); {@code realLabel}, the label of
     * real samples in the discriminator's loss (below 1: one-sided label smoothing, Salimans et
     * al., 2016; fake samples keep 0); {@code fromLogits}, whether the discriminator gives a logit
     * rather than a probability.
     */
    public record Settings(int noise, int dSteps, double realLabel, boolean fromLogits) {
        public Settings {
            if (noise <= 0) {
                throw new IllegalArgumentException("gan.noise: expected a positive number of noise"
                        + " values per sample, received noise=" + noise);
            }
            if (dSteps <= 0) {
                throw new IllegalArgumentException("gan.d_steps: expected a positive number of"
                        + " discriminator updates per generator update, received d_steps=" + dSteps);
            }
            if (!(realLabel > 0.5 && realLabel <= 1)) {
                throw new IllegalArgumentException("gan.label_smoothing: expected the label of real"
                        + " samples in (0.5, 1] (0.9 is usual; 1 is none), received label_smoothing="
                        + realLabel);
            }
        }

        /** {@code noise} values, one discriminator step per generator step, no smoothing. */
        public static Settings of(int noise) {
            return new Settings(noise, 1, 1.0, false);
        }
    }

    private final Model generator;
    private final Model discriminator;
    private final Settings settings;
    private double[] dataRange = {0, 1};

    /**
     * A GAN of these two models, checked: the generator takes {@code (noise)} and gives what the
     * discriminator takes, which gives {@code (1)}, both on one engine.
     */
    public Gan(Model generator, Model discriminator, Settings settings) {
        this.generator = generator;
        this.discriminator = discriminator;
        this.settings = settings;
        check(generator, discriminator, settings);
    }

    /** The checks of the constructor, with messages that name the part and the fix. */
    static void check(Model g, Model d, Settings s) {
        List<Shape> gin = g.inputShapes();
        if (gin.size() != 1 || !gin.get(0).equals(new Shape(s.noise()))) {
            throw new IllegalArgumentException("the generator's input is " + show(gin) + " but"
                    + " noise is " + s.noise() + ": give the generator input [" + s.noise()
                    + "], or set noise to its size");
        }
        List<Shape> gout = g.outputShapes();
        List<Shape> din = d.inputShapes();
        if (gout.size() != 1 || din.size() != 1) {
            throw new IllegalArgumentException("a GAN's generator gives one output and its"
                    + " discriminator takes one input; the generator gives " + show(gout)
                    + " and the discriminator takes " + show(din));
        }
        if (!gout.get(0).equals(din.get(0))) {
            throw new IllegalArgumentException("the generator's output " + gout.get(0) + " does not"
                    + " match the discriminator's input " + din.get(0) + ": end the generator with"
                    + " reshape: {target_shape: " + dims(din.get(0)) + "}, or give the discriminator"
                    + " input " + dims(gout.get(0)));
        }
        List<Shape> dout = d.outputShapes();
        if (dout.size() != 1 || !dout.get(0).equals(new Shape(1))) {
            throw new IllegalArgumentException("the discriminator must give one score per sample,"
                    + " shape (1); it gives " + show(dout) + ": end it with dense: {units: 1,"
                    + " activation: sigmoid}");
        }
        if (!g.backend().equals(d.backend())) {
            throw new IllegalArgumentException("the generator runs on " + g.backend() + " and the"
                    + " discriminator on " + d.backend() + ": put both on one engine and device");
        }
    }

    private static String show(List<Shape> shapes) {
        return shapes.size() == 1 ? shapes.get(0).toString() : shapes.toString();
    }

    private static String dims(Shape s) {
        return java.util.Arrays.toString(s.getShape());
    }

    /** The generator. */
    public Model generator() {
        return generator;
    }

    /** The discriminator. */
    public Model discriminator() {
        return discriminator;
    }

    /**
     * The range {lo, hi} of the real data's values: what sample grids draw as black and white
     * (default [0, 1]); saved with the GAN.
     */
    public double[] dataRange() {
        return dataRange.clone();
    }

    /** Sets {@link #dataRange()}; returns this GAN. */
    public Gan dataRange(double lo, double hi) {
        if (!(hi > lo)) {
            throw new IllegalArgumentException("a data range needs lo < hi, received [" + lo + ", "
                    + hi + "]");
        }
        this.dataRange = new double[] {lo, hi};
        return this;
    }

    /** The training settings. */
    public Settings settings() {
        return settings;
    }

    /**
     * Trains both models on the real samples {@code data} (its inputs; labels are ignored) with
     * {@code options}' epochs, batch size, shuffling and callbacks. Validation and checkpoints
     * ({@code backup_and_restore}) are not supported for GANs and are refused.
     */
    public History fit(Dataset data, FitOptions options) {
        if (options.validationData() != null || options.validationSplit() > 0) {
            throw new IllegalArgumentException("a GAN has no validation loss to report: remove"
                    + " validation_data and validation_split");
        }
        if (options.backupAndRestore() != null) {
            throw new IllegalArgumentException("backup_and_restore is not supported for GANs yet:"
                    + " remove it (the run's models are saved when it finishes)");
        }
        List<Shape> in = data.inputs().stream().map(Tensor::sampleShape).toList();
        if (in.size() != 1 || !in.get(0).equals(discriminator.inputShapes().get(0))) {
            throw new IllegalArgumentException("the data's samples are " + show(in) + " but the"
                    + " discriminator takes " + discriminator.inputShapes().get(0) + ": give the"
                    + " discriminator input " + (in.size() == 1 ? dims(in.get(0)) : "of the data")
                    + ", or reshape the data");
        }
        return TrainingLoop.run(this, new AdversarialStep(this), data, options);
    }

    /** {@code n} noise vectors drawn from N(0, 1) by a Java generator seeded with {@code seed}. */
    public Tensor noise(int n, long seed) {
        Random r = new Random(seed);
        float[] z = new float[n * settings.noise()];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) r.nextGaussian();
        }
        return new Tensor(z, new Shape(settings.noise()));
    }

    /** The generator's samples for {@code noise} (inference mode). */
    public Tensor generate(Tensor noise) {
        return generator.predict(noise);
    }

    /** {@code n} new samples from noise seeded with {@code seed}. */
    public Tensor sample(int n, long seed) {
        return generate(noise(n, seed));
    }

    @Override
    public String name() {
        return generator.name() + "+" + discriminator.name();
    }

    @Override
    public ai.djl.Model djlModel() {
        return generator.djlModel();
    }

    @Override
    public Block block() {
        return generator.block();
    }

    @Override
    public Device device() {
        return generator.device();
    }

    @Override
    public List<Shape> inputShapes() {
        return generator.inputShapes();
    }

    @Override
    public List<String> outputNames() {
        return generator.outputNames();
    }

    @Override
    public long nextFitSeed() {
        return generator.nextFitSeed();
    }

    @Override
    public void beginUpdate(long seed) {
        generator.beginUpdate(seed);
        discriminator.beginUpdate(seed ^ 0x5DEECE66DL);
    }

    /**
     * Saves both models to {@code dir/generator} and {@code dir/discriminator} (each loads alone
     * with {@link Model#load}) and the settings to {@code dir/gan.json}, each file atomically.
     */
    @Override
    public void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        generator.save(dir.resolve("generator"));
        discriminator.save(dir.resolve("discriminator"));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("format", FORMAT);
        doc.put("noise", settings.noise());
        doc.put("d_steps", settings.dSteps());
        doc.put("label_smoothing", settings.realLabel());
        doc.put("from_logits", settings.fromLogits());
        doc.put("data_range", List.of(dataRange[0], dataRange[1]));
        doc.put("lamina_version", Lamina.VERSION);
        AtomicFiles.write(dir.resolve(JSON), new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(doc));
    }

    /** Loads a GAN saved by {@link #save} on {@code backend}. */
    public static Gan load(Path dir, Backend backend) throws IOException {
        Path json = dir.resolve(JSON);
        if (!Files.isRegularFile(json)) {
            throw new NoSuchFileException(json.toString(), null, "not a saved GAN (no " + JSON
                    + "); a GAN's run directory holds it in model/");
        }
        Map<?, ?> doc;
        try {
            doc = new ObjectMapper().readValue(json.toFile(), Map.class);
        } catch (IOException e) {
            throw new InvalidModelException(json, "not a GAN's settings file: " + e.getMessage());
        }
        if (!(doc.get("format") instanceof Number f) || f.intValue() != FORMAT
                || !(doc.get("noise") instanceof Number noise)) {
            throw new InvalidModelException(json, "not a GAN's settings file of format " + FORMAT
                    + " (it needs format and noise)");
        }
        Settings s = new Settings(noise.intValue(),
                doc.get("d_steps") instanceof Number k ? k.intValue() : 1,
                doc.get("label_smoothing") instanceof Number l ? l.doubleValue() : 1.0,
                Boolean.TRUE.equals(doc.get("from_logits")));
        Model g = Model.load(dir.resolve("generator"), backend);
        Model d;
        try {
            d = Model.load(dir.resolve("discriminator"), backend);
        } catch (IOException | RuntimeException e) {
            g.close();
            throw e;
        }
        try {
            Gan gan = new Gan(g, d, s);
            if (doc.get("data_range") instanceof List<?> r && r.size() == 2
                    && r.get(0) instanceof Number lo && r.get(1) instanceof Number hi) {
                gan.dataRange(lo.doubleValue(), hi.doubleValue());
            }
            return gan;
        } catch (RuntimeException e) {
            g.close();
            d.close();
            throw e;
        }
    }

    /** Frees both models. */
    @Override
    public void close() {
        try {
            generator.close();
        } finally {
            discriminator.close();
        }
    }
}
