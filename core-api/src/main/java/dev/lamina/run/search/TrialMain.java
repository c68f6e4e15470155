package dev.lamina.run.search;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lamina.io.AtomicFiles;
import dev.lamina.run.Run;
import dev.lamina.train.BackupAndRestore;
import dev.lamina.train.History;
import dev.lamina.train.NonFiniteLossException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The main class of a trial's process ({@link TrialProcess}): {@code TrialMain DIR METRIC max|min
 * PARENT_PID} trains {@code DIR/run.yaml} into {@code DIR} (going on from its checkpoint when a
 * killed trial left one) and writes {@code DIR/result.json}: {@code ok} with the metric's best
 * epoch, {@code stopped} on a NaN loss, {@code failed} with the error's message. It ends if the
 * process that started it ends, so a killed search leaves no trial running.
 */
public final class TrialMain {
    private TrialMain() {}

    /** Runs one trial; see the class comment for the arguments. */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Objective objective = new Objective(args[1], args[2].equals("max"));
        watch(Long.parseLong(args[3]));
        long t0 = System.nanoTime();
        Map<String, Object> out = new LinkedHashMap<>();
        try {
            Run run = Run.load(dir.resolve(TrialProcess.RUN_FILE)).directory(dir)
                    .log(System.out::println);
            run.resume(Files.isRegularFile(dir.resolve(Run.BACKUP).resolve(BackupAndRestore.JSON)));
            try (Run.Result r = run.train()) {
                double best = Double.NaN;
                int epoch = 0;
                String m = objective.metric();
                if (m.startsWith("test_") && r.metrics().containsKey(m)) {
                    best = ((Number) r.metrics().get(m)).doubleValue();
                } else if (r.history().names().contains(m)) {
                    List<Double> values = r.history().get(m);
                    for (int i = 0; i < values.size(); i++) {
                        if (objective.better(values.get(i), best)) {
                            best = values.get(i);
                            epoch = i + 1;
                        }
                    }
                } else {
                    throw new IllegalArgumentException("the run does not report '" + m + "'; it"
                            + " reports " + r.history().names() + " and test scores "
                            + r.testScores().keySet());
                }
                out.put("status", Double.isNaN(best) ? TrialResult.FAILED : TrialResult.OK);
                out.put("metric", Double.isNaN(best) ? null : best);
                out.put("best_epoch", epoch);
                out.put("message", Double.isNaN(best) ? m + " was NaN in every epoch" : "");
            }
        } catch (NonFiniteLossException e) {
            out.put("status", TrialResult.STOPPED);
            out.put("metric", null);
            out.put("best_epoch", 0);
            out.put("message", e.getMessage());
        } catch (Exception e) {
            e.printStackTrace();
            out.put("status", TrialResult.FAILED);
            out.put("metric", null);
            out.put("best_epoch", 0);
            out.put("message", e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage());
        }
        out.put("seconds", Math.round((System.nanoTime() - t0) / 1e8) / 10.0);
        AtomicFiles.write(dir.resolve(TrialProcess.RESULT),
                new ObjectMapper().writeValueAsBytes(out));
        System.exit(0);
    }

    /** Ends this process when {@code parent} ends. */
    private static void watch(long parent) {
        Thread t = new Thread(() -> {
            var p = ProcessHandle.of(parent);
            while (p.isPresent() && p.get().isAlive()) {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
            System.err.println("the search that started this trial ended: stopping");
            Runtime.getRuntime().halt(143);
        }, "lamina-parent-watch");
        t.setDaemon(true);
        t.start();
    }
}
