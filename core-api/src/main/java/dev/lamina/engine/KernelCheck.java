package dev.lamina.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Checks, once per engine and process, that the engine's fast native kernels compute what they
 * should, and avoids the ones that do not.
 *
 * <p>Each {@link Probe} runs one fast path on small fixed inputs and measures it against a
 * reference that does not take that path (the same operation in float64, which oneDNN does not
 * implement). When probes fail, the check first tries Lamina's {@link Workaround}s, each a way
 * round one fault that keeps the fast kernel and is itself probed before it is used (for example
 * padding a convolution's output channels to oneDNN's block, or running a recurrent layer on
 * Lamina's own loop at inference). Faults no workaround covers call for the engine's {@link Remedy}
 * (for PyTorch: oneDNN off for the process, see {@link TorchOneDnn}), after which everything is
 * checked again. It prints one line naming the faults and what it did. Faults it cannot remove
 * make {@link #require(String)} throw {@link FaultyKernelException}.
 *
 * <p>The check costs well under a second. It is a seam for tests: {@link #KernelCheck(List,
 * List, Remedy, Consumer)} takes any probes, workarounds and remedy.
 */
public final class KernelCheck {
    /** Workaround name: convolutions pad their channels to a multiple of 16. */
    public static final String PAD_CONV_CHANNELS = "pad_conv_channels";
    /**
     * Workaround name: recurrent layers predict on the kernel's training mode, with PyTorch
     * recording gradients for that one operation (where the inference mode is wrong).
     */
    public static final String RECURRENT_INFERENCE_TRAINING_KERNEL =
            "recurrent_inference_training_kernel";
    /** Workaround name: recurrent layers predict on Lamina's own loop of basic operations. */
    public static final String RECURRENT_INFERENCE_LOOP = "recurrent_inference_loop";
    /** Workaround name: recurrent layers train on Lamina's own loop of basic operations too. */
    public static final String RECURRENT_LOOP = "recurrent_loop";

    /** One fast path measured against a reference. */
    public interface Probe {
        /** What the probe checks, as the notice names it ({@code conv2d}). */
        String name();

        /**
         * The largest relative difference between the fast path and the reference on this
         * manager's engine, or empty when the engine cannot run the reference.
         */
        Optional<Double> error(NDManager manager);
    }

    /** A way round some faulty probes that keeps the fast kernels; it is probed before use. */
    public record Workaround(String name, String describe, Set<String> covers,
            List<Probe> probes) {}

    /** A way to take the faulty fast paths out of use for the rest of the process. */
    public interface Remedy {
        /** What the remedy does, for the notice ({@code turned oneDNN off in PyTorch}). */
        String describe();

        /** Applies it; false when this process cannot (the switch is missing). */
        boolean apply();
    }

    /** What the check found on one engine and what it does about it. */
    public record Verdict(String engine, List<String> faults, List<String> remaining,
            Set<String> workarounds, List<String> done) {
        /** True when nothing the engine runs for Lamina is known to be wrong. */
        public boolean trusted() {
            return remaining.isEmpty();
        }

        /** True when workaround {@code name} is in use on this engine. */
        public boolean uses(String name) {
            return workarounds.contains(name);
        }

        /** The one-line notice, or empty when nothing was wrong. */
        public Optional<String> notice() {
            if (faults.isEmpty()) {
                return Optional.empty();
            }
            String what = "lamina: " + engine + "'s native kernels give wrong numbers on this CPU ("
                    + String.join(", ", faults) + ")";
            if (!remaining.isEmpty()) {
                return Optional.of(what + "; " + (done.isEmpty() ? "" : String.join("; ", done)
                        + "; ") + String.join(", ", remaining) + " still wrong: training and"
                        + " prediction on " + engine + " are refused");
            }
            return Optional.of(what + "; " + String.join("; ", done) + " (checked: right now)");
        }
    }

    /** Faults a probe must stay under: float32 rounding is about 1e-6 of the values' scale. */
    static final double TOLERANCE = 1e-3;

    private static final Map<String, Verdict> VERDICTS = new ConcurrentHashMap<>();

    private final List<Probe> probes;
    private final List<Workaround> workarounds;
    private final Remedy remedy;
    private final Consumer<String> notices;

    /**
     * A check of these probes, trying these workarounds in order, then {@code remedy} (may be
     * null); notices go to {@code notices}.
     */
    public KernelCheck(List<Probe> probes, List<Workaround> workarounds, Remedy remedy,
            Consumer<String> notices) {
        this.probes = List.copyOf(probes);
        this.workarounds = List.copyOf(workarounds);
        this.remedy = remedy;
        this.notices = notices;
    }

    /** Runs the check on {@code engine} (a DJL engine name). */
    public Verdict run(String engine) {
        List<String> faults = failing(engine, probes);
        if (faults.isEmpty()) {
            return new Verdict(engine, List.of(), List.of(), Set.of(), List.of());
        }
        List<String> done = new ArrayList<>();
        Set<String> used = new LinkedHashSet<>();
        List<String> remaining = workAround(engine, faults, used, done);
        if (!remaining.isEmpty() && remedy != null && remedy.apply()) {
            done.clear();
            used.clear();
            done.add(remedy.describe());
            remaining = workAround(engine, failing(engine, probes), used, done);
        }
        Verdict v = new Verdict(engine, faults, remaining, Set.copyOf(used), List.copyOf(done));
        v.notice().ifPresent(notices);
        return v;
    }

    /** Applies the workarounds that cover {@code faults} and pass; returns what is left. */
    private List<String> workAround(String engine, List<String> faults, Set<String> used,
            List<String> done) {
        List<String> left = new ArrayList<>(faults);
        for (Workaround w : workarounds) {
            if (left.stream().noneMatch(w.covers()::contains)) {
                continue;
            }
            if (failing(engine, w.probes()).isEmpty()) {
                left.removeAll(w.covers());
                used.add(w.name());
                done.add(w.describe());
            }
        }
        return left;
    }

    private static List<String> failing(String engine, List<Probe> probes) {
        List<String> out = new ArrayList<>();
        try (NDManager m = Engine.getEngine(engine).newBaseManager(Device.cpu())) {
            for (Probe p : probes) {
                try (NDManager sub = m.newSubManager()) {
                    Optional<Double> err = p.error(sub);
                    if (err.isPresent() && !(err.get() <= TOLERANCE)) {
                        out.add(p.name());
                    }
                }
            }
        }
        return out;
    }

    // ---- the process-wide check every model goes through ----

    /**
     * The verdict for {@code engine} (DJL's name), checking the built-in probes on first use in
     * the process; the notice, if any, goes to standard error once.
     */
    public static Verdict ensure(String engine) {
        return VERDICTS.computeIfAbsent(engine, e -> {
            Engine.getEngine(e); // loads the native library, which the switches below act on
            if (e.equals("PyTorch")) {
                TorchOneDnn.quietNnpack();
            }
            return new KernelCheck(KernelProbes.all(), KernelProbes.workarounds(),
                    e.equals("PyTorch") ? new TorchOneDnn() : null, System.err::println).run(e);
        });
    }

    /**
     * {@code f} run as workaround {@link #RECURRENT_INFERENCE_TRAINING_KERNEL} needs: with
     * PyTorch recording gradients, the mode restored after.
     */
    public static <T> T recordingGradients(java.util.function.Supplier<T> f) {
        return TorchOneDnn.withGradMode(f);
    }

    /** Throws {@link FaultyKernelException} when {@code engine} has a fault Lamina cannot avoid. */
    public static void require(String engine) {
        Verdict v = ensure(engine);
        if (!v.trusted()) {
            throw new FaultyKernelException(v);
        }
    }

    /** For tests: makes {@code v} the verdict for {@code engine}; null forgets it. */
    static void override(String engine, Verdict v) {
        if (v == null) {
            VERDICTS.remove(engine);
        } else {
            VERDICTS.put(engine, v);
        }
    }
}
