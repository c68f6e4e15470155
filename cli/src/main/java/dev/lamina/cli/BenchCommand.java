package dev.lamina.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.lamina.Functional;
import dev.lamina.Model;
import dev.lamina.Sequential;
import dev.lamina.data.DataSources;
import dev.lamina.data.Dataset;
import dev.lamina.data.Tensor;
import dev.lamina.engine.Backend;
import dev.lamina.engine.Threads;
import dev.lamina.losses.Losses;
import dev.lamina.metrics.Metrics;
import dev.lamina.optimizers.Optimizers;
import dev.lamina.spec.ConfigNode;
import dev.lamina.spec.Input;
import dev.lamina.spec.LayerSpec;
import dev.lamina.spec.LayerTypes;
import dev.lamina.spec.Names;
import dev.lamina.spec.Node;
import dev.lamina.train.FitOptions;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lamina bench}: what Lamina's {@code fit} costs over a hand-written DJL training loop.
 *
 * <p>Both sides train the same network (same layers, SGD, softmax cross-entropy, accuracy) on
 * the same batches in the same order, for the same number of steps. The hand-written side is what
 * a careful DJL user writes, DJL's {@code EasyTrain.fit} pattern: a {@code Trainer}, batches
 * from DJL's {@code ArrayDataset}, the loss and accuracy read every batch. Lamina's side is
 * {@code fit} as a user calls it (data on the engine, sums kept there, the NaN guard on). Each
 * round also times {@code evaluate} on the same data and batch size, as many passes as the
 * training made: its throughput, and its ratio to Lamina's training throughput.
 *
 * <p>A round is eight short training runs, each a trainer made, then the loop over a quarter of
 * the round's steps, and two evaluations, in the order {@value #ORDER} (A the side first, B the
 * other, E the evaluation): A's places (1, 5, 7, 9) and B's (2, 4, 6, 10) have the same sum and
 * the same sum of squares, and E's (3, 8) the same mean, so a host whose speed drifts during the
 * round, along a line or a curve, weighs on each alike. Rounds alternate which side is A. The
 * first {@code --warmup} rounds are not counted, so the JIT has compiled both sides; nor are
 * later rounds while the JIT still compiles (more than {@value #JIT_SETTLED} of a round's time, in
 * the round or, before the first counted one, in the round before; for up to {@value
 * #MAX_EXTRA_WARMUP_SECONDS} seconds or {@value #MAX_EXTRA_WARMUP} rounds more): on two cores a
 * compiler thread takes a core from the engine's threads, and whichever side it lands on looks
 * slower. The counted rounds are an even number, each side first in half of them (see {@link
 * #counted()}).
 *
 * <p>Reported: the median samples per second of each side, and the median of the rounds' ratios
 * (Lamina / DJL, paired round by round; 1.00 means no overhead) with the lowest and highest
 * round, the warm-up rounds run, and the share of CPU time the host stole during the counted
 * rounds ({@link HostSteal}; "-" off Linux). With {@code --floor}, each round also times the
 * least any loop must run (see {@link #floorRound}), and Lamina's median fraction of it;
 * {@code --each-round} prints every counted round.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure Lamina's fit against a hand-written DJL Trainer loop on the same",
            "networks (an MLP, LeNet-5, a small ResNet, an LSTM), data and steps, interleaved,",
            "per engine, with evaluate's speed beside them."})
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--engines", split = ",", defaultValue = "pytorch,mxnet",
            description = "engines to measure (default ${DEFAULT-VALUE})")
    List<String> engines;

    @Option(names = "--models", split = ",", defaultValue = "mlp,lenet,resnet,lstm",
            description = "networks to measure: mlp, lenet, resnet (a graph with a skip), lstm"
                    + " (28 rows of 28 pixels); default ${DEFAULT-VALUE}")
    List<String> models;

    @Option(names = "--steps", defaultValue = "48",
            description = "steps per side and round, in four runs (default ${DEFAULT-VALUE}: four"
                    + " runs of about a quarter of a pass over the 6,000-image sample)")
    int steps;

    @Option(names = "--rounds", defaultValue = "9", description = "measured rounds (default"
            + " ${DEFAULT-VALUE}; an odd count gets one more, so that each side goes first in half)")
    int rounds;

    @Option(names = "--warmup", defaultValue = "3",
            description = "rounds run first and not counted, so the JIT has compiled both sides"
                    + " (default ${DEFAULT-VALUE}); more follow while the JIT still compiles (up"
                    + " to 60 s or 64 rounds)")
    int warmup;

    @Option(names = "--batch-size", defaultValue = "128", description = "default ${DEFAULT-VALUE}")
    int batchSize;

    @Option(names = "--data", defaultValue = "fashion-mnist-sample:train", paramLabel = "SOURCE",
            description = "training data (default ${DEFAULT-VALUE}; fashion-mnist:train is the"
                    + " full set, when installed)")
    String dataSource;

    @Option(names = "--nan-guard", defaultValue = "true", arity = "1", paramLabel = "true|false",
            description = "Lamina's NaN guard, on by default as in fit: the one number a batch"
                    + " reads back (false: fit: {terminate_on_nan: false})")
    boolean nanGuard;

    @Option(names = "--floor", description = "also time, each round, the least any loop runs:"
            + " forward, loss, backward and an in-place SGD step on batches sliced from arrays"
            + " already on the engine, nothing read back; prints its samples/s and Lamina's"
            + " fraction of it")
    boolean floor;

    @Option(names = "--profile", paramLabel = "FILE.jfr",
            description = "record Lamina's measured rounds with Java Flight Recorder into FILE"
                    + " and print where the time went: Java code, native kernels, waiting for"
                    + " the engine")
    java.nio.file.Path profile;

    @Option(names = "--each-round", description = "also print every counted round: both sides'"
            + " samples/s, their ratio, which side ran first, the share the host stole, the JIT's"
            + " compile time, and each run's samples/s in order (L Lamina, D DJL, E evaluation)")
    boolean eachRound;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** The share of a round's time the JIT may spend compiling in a round that counts. */
    static final double JIT_SETTLED = 0.05;
    /**
     * The most time, in seconds, added to the warm-up in rounds while the JIT still compiles. A
     * round of the MLP lasts about half a second, and its JIT took 20 to 50 rounds to settle
     * (until then it compiled for up to 80% of a round's time, on one of the two cores).
     */
    static final int MAX_EXTRA_WARMUP_SECONDS = 60;
    /** The most rounds added to the warm-up while the JIT still compiles (short rounds). */
    static final int MAX_EXTRA_WARMUP = 64;

    /**
     * A round's runs: A the side that goes first, B the other, E Lamina's evaluation. Against
     * A E B B E A (two runs a side), the rounds' ratios scattered less: standard deviation 0.035
     * and 0.041 for the ResNet against 0.049 and 0.065, two 10-round runs of each in turn.
     */
    static final String ORDER = "ABEBABAEAB";
    /** A round's runs when Lamina goes first: L Lamina's fit, E its evaluation, D DJL's loop. */
    private static final String LAMINA_FIRST = ORDER.replace('A', 'L').replace('B', 'D');
    /** A round's runs when DJL's loop goes first. */
    private static final String DJL_FIRST = ORDER.replace('A', 'D').replace('B', 'L');
    /** Training runs per side in a round (the L's and D's above), each a share of its steps. */
    static final int RUNS_PER_SIDE = (int) ORDER.chars().filter(c -> c == 'A').count();
    /** Evaluations in a round, each as many passes as a training run. */
    static final int EVALS = (int) ORDER.chars().filter(c -> c == 'E').count();

    private int passes = 1;

    /**
     * The rounds counted: {@code --rounds}, made even. Where a run's place in the round changes its
     * speed (at 0% stolen, PyTorch's LSTM ran 2-5% faster in the middle two places than at the
     * ends, in every round), an odd count lets the side that went first more often carry that
     * difference into the median.
     */
    private int counted() {
        return rounds + rounds % 2;
    }

    @Override
    public Integer call() throws Exception {
        if (steps <= 0 || rounds <= 0 || batchSize <= 0 || warmup < 0) {
            throw new IllegalArgumentException(
                    "--steps, --rounds and --batch-size must be positive, --warmup at least 0");
        }
        for (String m : models) {
            if (!List.of("mlp", "lenet", "resnet", "lstm").contains(m)) {
                throw new IllegalArgumentException("unknown bench model '" + m + "'."
                        + Names.didYouMean(m, List.of("mlp", "lenet", "resnet", "lstm"))
                        + " Use mlp, lenet, resnet or lstm");
            }
        }
        engines.forEach(Backend::djlName);
        PrintWriter out = spec.commandLine().getOut();
        Dataset all = DataSources.load(dataSource);
        int runSteps = (steps + RUNS_PER_SIDE - 1) / RUNS_PER_SIDE;
        int perPass = Math.min(all.batchCount(batchSize), runSteps);
        passes = (runSteps + perPass - 1) / perPass;
        Dataset data = all.limit(perPass * batchSize);
        int counted = counted();
        out.printf(Locale.ROOT, "%d steps of %d samples per side and round (%d runs of %d pass(es)"
                + " over %d samples, in the order %s), %d rounds%s after %d warm-up (more"
                + " while the JIT compiles), %d cores%n", RUNS_PER_SIDE * perPass * passes, batchSize,
                RUNS_PER_SIDE, passes, data.size(), ORDER.replace("", " ").trim(), counted,
                counted == rounds ? ""
                        : " (" + rounds + " asked; one more, so that each side goes first in half)",
                warmup, Runtime.getRuntime().availableProcessors());
        out.printf(Locale.ROOT, "%-8s %-6s %14s %14s %8s  %-16s %12s %9s%s %7s %7s%n", "engine", "model",
                "lamina samp/s", "djl samp/s", "ratio", "(lowest .. highest)", "eval samp/s",
                "eval/train", floor ? String.format(Locale.ROOT, " %12s %12s", "floor samp/s",
                        "lamina/floor") : "", "warm-up", "stolen");
        Profile recording = profile == null ? null : new Profile(profile);
        try {
            for (String engine : engines) {
                Backend backend = Backend.of(engine, "cpu");
                backend.djlEngine();
                if (Threads.torch() > 0 && backend.engine().equals("PyTorch")) {
                    out.printf(Locale.ROOT, "%s: %d thread(s) per operation in every loop"
                            + " (--threads to change)%n", backend.userName(), Threads.torch());
                }
                for (String m : models) {
                    HostSteal steal = new HostSteal();
                    double[] r = measure(backend, m, data, recording, steal);
                    out.printf(Locale.ROOT, "%-8s %-6s %14.0f %14.0f %8.3f  (%.3f .. %.3f) %12.0f %9.2f%s %7d %7s%n",
                            backend.userName(), m, r[0], r[1], r[2], r[3], r[4], r[5], r[6],
                            floor ? String.format(Locale.ROOT, " %12.0f %12.3f", r[7], r[8]) : "",
                            (int) r[9], steal.share());
                    out.flush();
                }
            }
        } finally {
            if (recording != null) {
                recording.stopAndReport(out);
            }
        }
        return 0;
    }

    private double[] measure(Backend backend, String which, Dataset data, Profile recording,
            HostSteal steal) throws Exception {
        List<Double> lamina = new ArrayList<>();
        List<Double> djl = new ArrayList<>();
        List<Double> evals = new ArrayList<>();
        List<Double> floors = new ArrayList<>();
        int warmedRounds = 0; // more than --warmup while the JIT still compiled
        double extraWarmMillis = 0; // the time of the rounds beyond --warmup left uncounted
        boolean settledBefore = false; // whether the JIT had settled in the round before
        try (Model model = laminaModel(which).backend(backend).seed(1);
                ai.djl.Model raw = ai.djl.Model.newInstance("raw", backend.device(), backend.engine())) {
            model.compile(Optimizers.sgd(0.05), Losses.softmaxCrossEntropy(), Metrics.accuracy());
            raw.setBlock(rawBlock(which));
            DefaultTrainingConfig cfg = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.05f)).build())
                    .optInitializer(new XavierInitializer(), Parameter.Type.WEIGHT)
                    .optDevices(new Device[] {backend.device()});
            Shape inputShape = which.equals("mlp") ? new Shape(batchSize, 784)
                    : new Shape(batchSize, 1, 28, 28);
            java.lang.management.CompilationMXBean jit =
                    java.lang.management.ManagementFactory.getCompilationMXBean();
            boolean jitTimed = jit != null && jit.isCompilationTimeMonitoringSupported();
            int[] countedFirst = new int[2]; // counted rounds that Lamina, DJL went first in
            for (int round = 0; lamina.size() < counted(); round++) {
                long jit0 = jitTimed ? jit.getTotalCompilationTime() : 0;
                steal.begin();
                long round0 = System.nanoTime();
                boolean counting = warmedRounds >= warmup;
                // rounds alternate which side goes first; a round left uncounted (the JIT) could
                // leave one order ahead, so the order behind goes next
                boolean laminaFirst = countedFirst[0] == countedFirst[1] ? round % 2 == 0
                        : countedFirst[0] < countedFirst[1];
                // ORDER: each side trains RUNS_PER_SIDE times, a share of the round's steps
                // each time, in places that weigh a drift of the host's speed across the round
                // (a line or a curve) alike on both, with Lamina's evaluations centred too
                long laminaNanos = 0;
                long djlNanos = 0;
                long evalNanos = 0;
                double runSamples = (double) passes * data.size();
                StringBuilder runs = new StringBuilder();
                for (char run : (laminaFirst ? LAMINA_FIRST : DJL_FIRST).toCharArray()) {
                    long took;
                    if (run == 'L') {
                        if (recording != null && counting) {
                            recording.resume();
                        }
                        long t0 = System.nanoTime();
                        model.fit(data, FitOptions.defaults().epochs(passes).batchSize(batchSize)
                                .shuffle(false).terminateOnNan(nanGuard));
                        took = System.nanoTime() - t0;
                        laminaNanos += took;
                        if (recording != null && counting) {
                            recording.pause();
                        }
                    } else if (run == 'E') {
                        // evaluation: the same model, data and batch size, no gradients, as many
                        // passes as a training run (one short pass alone was too noisy a figure)
                        long t0 = System.nanoTime();
                        for (int p = 0; p < passes; p++) {
                            model.evaluate(data, batchSize);
                        }
                        took = System.nanoTime() - t0;
                        evalNanos += took;
                    } else {
                        // one training run, as a hand-written program does it: its data set made
                        // from the arrays in Java memory (as fit copies them to the engine), a
                        // trainer, then the loop, on as many threads as Lamina's (DJL's trainer
                        // starts MXNet, which sets this thread's count to 1: see Threads)
                        long t0 = System.nanoTime();
                        try (Trainer trainer = raw.newTrainer(cfg)) {
                            trainer.initialize(inputShape);
                            Threads.pin(backend.engine());
                            ArrayDataset djlData = djlDataset(trainer.getManager(), data, which);
                            for (int p = 0; p < passes; p++) {
                                rawEpoch(trainer, djlData);
                            }
                        }
                        took = System.nanoTime() - t0;
                        djlNanos += took;
                    }
                    runs.append(runs.length() == 0 ? "" : ", ").append(run).append(' ')
                            .append(Math.round(runSamples / (took / 1e9)));
                }
                double a = RUNS_PER_SIDE * runSamples / (laminaNanos / 1e9);
                double b = RUNS_PER_SIDE * runSamples / (djlNanos / 1e9);
                double f = floor ? floorRound(raw, cfg, inputShape, data, which) : 0;
                double e = EVALS * runSamples / (evalNanos / 1e9);
                // a round counts once the warm-up is done and the JIT has (nearly) stopped: in
                // this round, and in the one before while none counted yet (a single quiet round
                // came between two bursts of compilation); unless the warm-up ran out of time
                long compiling = jitTimed ? jit.getTotalCompilationTime() - jit0 : 0;
                double roundMillis = (System.nanoTime() - round0) / 1e6;
                boolean quiet = compiling <= JIT_SETTLED * roundMillis;
                boolean settled = quiet && (settledBefore || !lamina.isEmpty())
                        || extraWarmMillis >= MAX_EXTRA_WARMUP_SECONDS * 1000.0
                        || warmedRounds >= warmup + MAX_EXTRA_WARMUP;
                settledBefore = quiet;
                steal.end(counting && settled);
                if (counting && settled && eachRound) {
                    PrintWriter out = spec.commandLine().getOut();
                    out.printf(Locale.ROOT, "  %s %s round %d: lamina %.0f, djl %.0f, ratio %.3f"
                            + " (%s first), eval %.0f, stolen %s, JIT %d of %.0f ms; runs in order:"
                            + " %s%n", backend.userName(), which, lamina.size() + 1, a, b, a / b,
                            laminaFirst ? "lamina" : "djl", e, steal.lastShare(), compiling,
                            roundMillis, runs);
                    out.flush();
                }
                if (!counting || !settled) {
                    if (counting) {
                        extraWarmMillis += roundMillis;
                    }
                    warmedRounds++;
                    if (recording != null && counting) {
                        recording.discardLast(RUNS_PER_SIDE); // the round's Lamina runs
                    }
                } else {
                    countedFirst[laminaFirst ? 0 : 1]++;
                    lamina.add(a);
                    djl.add(b);
                    evals.add(e);
                    floors.add(f);
                }
            }
        }
        List<Double> ratios = paired(lamina, djl);
        List<Double> evalRatios = paired(evals, lamina);
        List<Double> floorRatios = paired(lamina, floors);
        return new double[] {median(lamina), median(djl), median(ratios),
            ratios.stream().mapToDouble(Double::doubleValue).min().orElse(0),
            ratios.stream().mapToDouble(Double::doubleValue).max().orElse(0),
            median(evals), median(evalRatios), median(floors), median(floorRatios), warmedRounds};
    }

    /**
     * One round of the floor: only what every training loop must run. The data are made on the
     * engine before the clock starts; each batch is a slice of them, then forward, loss, backward
     * and SGD in place (w −= lr·g, the gradient then cleared, as any optimizer must for PyTorch,
     * which adds gradients up). No data set, metrics, loss read or NaN check: a bound to measure
     * both loops against, not a usable loop. A batch's arrays are freed after the next is issued
     * (MXNet waits for an array's computation to free it), and one value is read at the end,
     * since MXNet computes asynchronously.
     */
    private double floorRound(ai.djl.Model raw, DefaultTrainingConfig cfg, Shape inputShape,
            Dataset data, String which) {
        try (Trainer trainer = raw.newTrainer(cfg)) {
            trainer.initialize(inputShape);
            Threads.pin(raw.getNDManager().getEngine().getEngineName());
            NDManager manager = trainer.getManager();
            NDList xy = djlArrays(manager, data, which);
            NDArray x = xy.get(0);
            NDArray y = xy.get(1);
            List<NDArray> weights = new ArrayList<>();
            raw.getBlock().getParameters().values().forEach(p -> weights.add(p.getArray()));
            Loss loss = trainer.getLoss();
            int batches = data.size() / batchSize;
            long t0 = System.nanoTime();
            NDManager previous = null;
            for (int p = 0; p < RUNS_PER_SIDE * passes; p++) {
                for (int b = 0; b < batches; b++) {
                    NDManager bm = manager.newSubManager();
                    String rows = b * batchSize + ":" + (b + 1) * batchSize;
                    NDArray xb = x.get(rows);
                    NDArray yb = y.get(rows);
                    xb.attach(bm);
                    yb.attach(bm);
                    try (GradientCollector gc = trainer.newGradientCollector()) {
                        NDList pred = raw.getBlock().forward(
                                new ai.djl.training.ParameterStore(bm, false), new NDList(xb), true);
                        gc.backward(loss.evaluate(new NDList(yb), pred));
                    }
                    for (NDArray w : weights) {
                        NDArray g = w.getGradient();
                        g.attach(bm);
                        g.muli(0.05f);
                        w.subi(g);
                        g.subi(g);
                    }
                    if (previous != null) {
                        previous.close();
                    }
                    previous = bm;
                }
            }
            weights.get(0).sum().getFloat();
            double rate = RUNS_PER_SIDE * (double) passes * batches * batchSize
                    / ((System.nanoTime() - t0) / 1e9);
            if (previous != null) {
                previous.close();
            }
            return rate;
        }
    }

    /**
     * The data as DJL's own {@link ArrayDataset}: arrays made once from Java arrays, as a DJL user
     * makes them ({@code NDManager.create(float[], Shape)}), batches in order.
     */
    private ArrayDataset djlDataset(NDManager manager, Dataset data, String which) {
        NDList xy = djlArrays(manager, data, which);
        return new ArrayDataset.Builder().setData(xy.get(0)).optLabels(xy.get(1))
                .setSampling(batchSize, false).build();
    }

    /** The inputs (flattened for the MLP) and labels, made from Java arrays as a DJL user does. */
    private static NDList djlArrays(NDManager manager, Dataset data, String which) {
        Tensor in = data.inputs().get(0);
        Tensor labels = data.labels().get(0);
        int[] all = all(data.size());
        NDArray x = manager.create(in.values(all), in.batchShape(all.length));
        if (which.equals("mlp")) {
            x = x.reshape(data.size(), 784);
        }
        return new NDList(x, manager.create(labels.values(all), labels.batchShape(all.length)));
    }

    private static int[] all(int n) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        return idx;
    }

    /**
     * The hand-written loop, as DJL's {@code EasyTrain.fit} does an epoch: batches from DJL's
     * data set ({@code trainer.iterateDataset}), forward, loss, backward, step; and, as a careful
     * user reports them, the loss and the accuracy read back every batch.
     */
    private static void rawEpoch(Trainer trainer, ArrayDataset data) throws Exception {
        double lossSum = 0;
        double correct = 0;
        for (Batch batch : trainer.iterateDataset(data)) {
            try (batch) {
                NDList x = batch.getData();
                NDList y = batch.getLabels();
                NDList pred;
                NDArray loss;
                try (GradientCollector gc = trainer.newGradientCollector()) {
                    pred = trainer.forward(x);
                    loss = trainer.getLoss().evaluate(y, pred);
                    gc.backward(loss);
                }
                trainer.step();
                lossSum += loss.getFloat() * batch.getSize();
                correct += pred.head().argMax(1).toType(DataType.FLOAT32, false)
                        .eq(y.head().toType(DataType.FLOAT32, false)).toType(DataType.FLOAT32, false)
                        .sum().getFloat();
            }
        }
        if (Double.isNaN(lossSum) || correct < 0) {
            throw new IllegalStateException("the DJL baseline diverged");
        }
    }

    private static Model laminaModel(String which) {
        if (which.equals("resnet")) {
            // the functional API: conv, then a residual block (two convs and a skip), as a graph
            Node image = Input.of("image", 1, 28, 28);
            Node c1 = layer(Map.of("conv2d", Map.of("filters", 16, "kernel_size", 3, "padding",
                    "same", "activation", "relu"))).on(image);
            Node c2 = layer(Map.of("conv2d", Map.of("filters", 16, "kernel_size", 3, "padding",
                    "same", "activation", "relu"))).on(c1);
            Node c3 = layer(Map.of("conv2d", Map.of("filters", 16, "kernel_size", 3, "padding",
                    "same"))).on(c2);
            Node sum = layer(Map.of("add", Map.of())).on(c1, c3);
            Node relu = layer(Map.of("activation", Map.of("activation", "relu"))).on(sum);
            Node pool = layer(Map.of("max_pool2d", Map.of("pool_size", 2))).on(relu);
            Node flat = layer(Map.of("flatten", Map.of())).on(pool);
            Node out = layer(Map.of("dense", Map.of("units", 10))).on(flat);
            return new Functional(which, List.of(image), List.of(out));
        }
        Sequential s = new Sequential(which).input(1, 28, 28);
        List<Map<String, Object>> layers = new ArrayList<>();
        if (which.equals("mlp")) {
            layers.add(Map.of("flatten", Map.of()));
            layers.add(Map.of("dense", Map.of("units", 256, "activation", "relu")));
            layers.add(Map.of("dense", Map.of("units", 128, "activation", "relu")));
            layers.add(Map.of("dense", Map.of("units", 10)));
        } else if (which.equals("lstm")) {
            layers.add(Map.of("reshape", Map.of("target_shape", List.of(28, 28))));
            layers.add(Map.of("lstm", Map.of("units", 64)));
            layers.add(Map.of("dense", Map.of("units", 10)));
        } else if (which.equals("lenet")) {
            layers.add(Map.of("conv2d", Map.of("filters", 6, "kernel_size", 5, "padding", "same",
                    "activation", "relu")));
            layers.add(Map.of("max_pool2d", Map.of("pool_size", 2)));
            layers.add(Map.of("conv2d", Map.of("filters", 16, "kernel_size", 5, "activation", "relu")));
            layers.add(Map.of("max_pool2d", Map.of("pool_size", 2)));
            layers.add(Map.of("flatten", Map.of()));
            layers.add(Map.of("dense", Map.of("units", 120, "activation", "relu")));
            layers.add(Map.of("dense", Map.of("units", 84, "activation", "relu")));
            layers.add(Map.of("dense", Map.of("units", 10)));
        } else {
            throw new IllegalArgumentException("unknown bench model '" + which
                    + "': use mlp, lenet, resnet or lstm");
        }
        for (Map<String, Object> l : layers) {
            s.add(LayerTypes.parse(ConfigNode.of(l)));
        }
        return s;
    }

    private static LayerSpec layer(Map<String, Object> spec) {
        return LayerTypes.parse(ConfigNode.of(spec));
    }

    private static Block rawBlock(String which) {
        SequentialBlock b = new SequentialBlock();
        if (which.equals("resnet")) {
            Block branch = new SequentialBlock()
                    .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(16)
                            .optPadding(new Shape(1, 1)).build())
                    .add(Activation.reluBlock())
                    .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(16)
                            .optPadding(new Shape(1, 1)).build());
            return b.add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(16)
                            .optPadding(new Shape(1, 1)).build())
                    .add(Activation.reluBlock())
                    .add(new ParallelBlock(l -> new NDList(l.get(0).singletonOrThrow()
                            .add(l.get(1).singletonOrThrow())), List.of(branch, Blocks.identityBlock())))
                    .add(Activation.reluBlock())
                    .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                    .add(Blocks.batchFlattenBlock())
                    .add(Linear.builder().setUnits(10).build());
        }
        if (which.equals("lstm")) {
            // DJL's own one-layer LSTM, batch first; the last step's output feeds the classifier
            return b.add(x -> new NDList(x.singletonOrThrow().reshape(-1, 28, 28)))
                    .add(LSTM.builder().setStateSize(64).setNumLayers(1).optBatchFirst(true)
                            .optReturnState(false).build())
                    .add(x -> new NDList(x.singletonOrThrow().get(":, -1, :")))
                    .add(Linear.builder().setUnits(10).build());
        }
        if (which.equals("mlp")) {
            b.add(Linear.builder().setUnits(256).build()).add(Activation.reluBlock())
                    .add(Linear.builder().setUnits(128).build()).add(Activation.reluBlock())
                    .add(Linear.builder().setUnits(10).build());
        } else {
            b.add(Conv2d.builder().setKernelShape(new Shape(5, 5)).setFilters(6)
                            .optPadding(new Shape(2, 2)).build())
                    .add(Activation.reluBlock())
                    .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                    .add(Conv2d.builder().setKernelShape(new Shape(5, 5)).setFilters(16).build())
                    .add(Activation.reluBlock())
                    .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                    .add(Blocks.batchFlattenBlock())
                    .add(Linear.builder().setUnits(120).build()).add(Activation.reluBlock())
                    .add(Linear.builder().setUnits(84).build()).add(Activation.reluBlock())
                    .add(Linear.builder().setUnits(10).build());
        }
        return b;
    }

    /** {@code a[i] / b[i]} round by round; 0 where {@code b[i]} was not measured. */
    private static List<Double> paired(List<Double> a, List<Double> b) {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            out.add(b.get(i) > 0 ? a.get(i) / b.get(i) : 0);
        }
        return out;
    }

    private static double median(List<Double> xs) {
        double[] a = xs.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

}
