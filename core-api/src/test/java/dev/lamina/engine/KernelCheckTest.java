package dev.lamina.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.lamina.Sequential;
import dev.lamina.layers.Dense;
import dev.lamina.testing.TestEngines;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kernel check on any machine: faulty kernels are injected through the probe seam, and the
 * check must see them, work round them or apply the remedy, and say so in one line.
 */
class KernelCheckTest {
    /** A "kernel" that is wrong until a switch is flipped, as oneDNN's input gradient is. */
    private static final class Flaky implements KernelCheck.Probe {
        final String name;
        boolean right;

        Flaky(String name, boolean right) {
            this.name = name;
            this.right = right;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Optional<Double> error(NDManager m) {
            NDArray reference = m.create(new float[] {1f, 2f, 3f});
            NDArray fast = right ? reference.duplicate() : m.create(new float[] {1f, 2f, 30f});
            return Optional.of(KernelProbes.relative(fast, reference));
        }
    }

    /** A remedy that fixes the given kernels (or cannot be applied). */
    private static KernelCheck.Remedy remedy(boolean works, Flaky... fixes) {
        return new KernelCheck.Remedy() {
            @Override
            public String describe() {
                return "the switch was turned off";
            }

            @Override
            public boolean apply() {
                for (Flaky f : fixes) {
                    f.right = works;
                }
                return works;
            }
        };
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void aFaultIsWorkedAroundWhenTheWorkaroundPassesItsOwnProbe(String engine) {
        Flaky conv = new Flaky("conv2d", false);
        KernelCheck.Workaround pad = new KernelCheck.Workaround("pad", "convolutions pad",
                Set.of("conv2d"), List.of(new Flaky("conv2d (padded)", true)));
        List<String> said = new ArrayList<>();
        KernelCheck.Verdict v = new KernelCheck(List.of(conv), List.of(pad),
                remedy(true, conv), said::add).run(engine);
        assertEquals(List.of("conv2d"), v.faults());
        assertTrue(v.trusted());
        assertTrue(v.uses("pad"));
        assertFalse(conv.right, "the workaround made the remedy unnecessary");
        assertEquals(List.of("lamina: " + engine + "'s native kernels give wrong numbers on this"
                + " CPU (conv2d); convolutions pad (checked: right now)"), said);
    }

    @Test
    void aWorkaroundThatFailsItsProbeIsNotUsedAndTheRemedyIs() {
        Flaky conv = new Flaky("conv2d", false);
        KernelCheck.Workaround pad = new KernelCheck.Workaround("pad", "convolutions pad",
                Set.of("conv2d"), List.of(new Flaky("conv2d (padded)", false)));
        List<String> said = new ArrayList<>();
        KernelCheck.Verdict v = new KernelCheck(List.of(conv), List.of(pad), remedy(true, conv),
                said::add).run("PyTorch");
        assertTrue(v.trusted());
        assertFalse(v.uses("pad"));
        assertEquals(List.of("lamina: PyTorch's native kernels give wrong numbers on this CPU"
                + " (conv2d); the switch was turned off (checked: right now)"), said);
    }

    @Test
    void aSoundKernelGivesNoNotice() {
        Flaky pool = new Flaky("pooling", true);
        List<String> said = new ArrayList<>();
        KernelCheck.Verdict v = new KernelCheck(List.of(pool), List.of(), remedy(true),
                said::add).run("PyTorch");
        assertTrue(v.faults().isEmpty());
        assertTrue(v.trusted());
        assertTrue(said.isEmpty());
    }

    @Test
    void aFaultThatCannotBeAvoidedRefusesTrainingWithTheFix() {
        Flaky bn = new Flaky("batch_norm", false);
        List<String> said = new ArrayList<>();
        KernelCheck.Verdict v = new KernelCheck(List.of(bn), List.of(), remedy(false, bn),
                said::add).run("PyTorch");
        assertFalse(v.trusted());
        assertEquals(List.of("lamina: PyTorch's native kernels give wrong numbers on this CPU"
                + " (batch_norm); batch_norm still wrong: training and prediction on PyTorch are"
                + " refused"), said);
        KernelCheck.Verdict real = KernelCheck.ensure("PyTorch");
        KernelCheck.override("PyTorch", v);
        try (Sequential m = new Sequential("refused").input(3)) {
            m.add(new Dense(2)).engine("pytorch");
            FaultyKernelException e = assertThrows(FaultyKernelException.class, m::build);
            assertEquals("PyTorch's native kernels give wrong numbers on this CPU (batch_norm)"
                    + " and Lamina could not avoid them in this process. Fix: train on the other"
                    + " engine (engine: mxnet in YAML, --engine, or Model.engine(...)); or put JNA"
                    + " on the class path, so Lamina can turn oneDNN off", e.getMessage());
        } finally {
            KernelCheck.override("PyTorch", real);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void theBuiltInProbesPassAfterTheCheck(String engine) {
        KernelCheck.Verdict v = KernelCheck.ensure(engine);
        assertTrue(v.trusted(), v.toString());
        // what the verdict keeps using is right now: the probes it did not work round, and the
        // workarounds' own probes
        Set<String> covered = new java.util.HashSet<>();
        List<KernelCheck.Probe> mustPass = new ArrayList<>();
        for (KernelCheck.Workaround w : KernelProbes.workarounds()) {
            if (v.uses(w.name())) {
                covered.addAll(w.covers());
                mustPass.addAll(w.probes());
            }
        }
        KernelProbes.all().stream().filter(p -> !covered.contains(p.name()))
                .forEach(mustPass::add);
        List<String> said = new ArrayList<>();
        KernelCheck.Verdict again = new KernelCheck(mustPass, List.of(), null, said::add)
                .run(engine);
        assertEquals(List.of(), again.faults());
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void paddingTheChannelsChangesNoNumber(String engine) {
        // in float64 (no oneDNN) the padded and the plain convolution agree to rounding
        try (NDManager m = TestEngines.manager(engine)) {
            Random r = new Random(4);
            float[] xv = new float[2 * 3 * 6 * 6];
            float[] wv = new float[5 * 3 * 3 * 3];
            for (int i = 0; i < xv.length; i++) {
                xv[i] = (float) r.nextGaussian();
            }
            for (int i = 0; i < wv.length; i++) {
                wv[i] = (float) r.nextGaussian();
            }
            NDArray x = m.create(xv, new Shape(2, 3, 6, 6)).toType(DataType.FLOAT64, false);
            NDArray w = m.create(wv, new Shape(5, 3, 3, 3)).toType(DataType.FLOAT64, false);
            NDArray b = m.create(new double[] {0.1, -0.2, 0.3, 0, 1});
            Shape one = new Shape(1, 1);
            NDArray plain = ConvKernel.convolution(x, w, b, one, one, one, 1, false, true);
            NDArray padded = ConvKernel.convolution(x, w, b, one, one, one, 1, true, true);
            assertEquals(new Shape(2, 5, 6, 6), padded.getShape());
            assertEquals(0.0, plain.sub(padded).abs().max().getDouble(), 1e-12);
        }
    }

    @Test
    void theMeasureCatchesNaN() {
        try (NDManager m = TestEngines.manager("PyTorch")) {
            NDArray ref = m.create(new float[] {1f, 2f});
            assertTrue(Double.isNaN(KernelProbes.relative(m.create(new float[] {1f, Float.NaN}),
                    ref)));
            assertEquals(0.5 / 2, KernelProbes.relative(m.create(new float[] {1f, 2.5f}), ref),
                    1e-7);
        }
    }
}
