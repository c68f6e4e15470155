package dev.lamina.cli;

import dev.lamina.run.search.TrialExecutor;
import dev.lamina.run.search.TrialExecutorProvider;
import dev.lamina.run.search.TrialProcess;
import dev.lamina.run.search.TrialResult;
import dev.lamina.run.search.TrialTask;
import dev.lamina.spec.ConfigNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;

/**
 * Runs a search's trials as tasks of Apache Spark: {@code executor: {spark: {master: "local[2]"}}}
 * (or {@code spark://host:7077}, {@code yarn}, {@code k8s://...}), with {@code app_name} (default
 * {@code lamina-search}), {@code task_cpus} (cores each trial takes, and its threads; default 1)
 * and {@code conf} (any Spark setting, such as {@code spark.executor.memory: 4g}).
 *
 * <p>Each trial is one job of one task, submitted as a slot frees (at most {@code parallel} at
 * once), so its result comes back to this driver, which writes {@code trials.csv} and
 * {@code best.yaml}, as soon as that trial ends. On its executor the task starts the trial's own
 * process ({@link TrialProcess}), as the local executor does: Spark's {@code local[N]} runs its
 * tasks as threads of one JVM, where engine threads and the engine's random generator are shared.
 * The trial directories are the search directory's: on a cluster, give {@code --out} on a file
 * system every node sees (NFS, a mounted bucket).
 */
final class SparkExecutor implements TrialExecutor {
    private final SparkConf conf;
    private final int taskCpus;
    private final int parallel;

    SparkExecutor(SparkConf conf, int taskCpus, int parallel) {
        this.conf = conf;
        this.taskCpus = taskCpus;
        this.parallel = parallel;
    }

    /** The function a Spark task runs: one trial, in a process of its own. */
    static final class RunTrial implements Function<TrialTask, TrialResult> {
        private static final long serialVersionUID = 1L;

        @Override
        public TrialResult call(TrialTask task) throws Exception {
            return TrialProcess.run(task);
        }
    }

    @Override
    public int threadsPerTrial(int parallel) {
        return taskCpus;
    }

    @Override
    public void run(List<TrialTask> tasks, Consumer<TrialResult> done) throws Exception {
        if (tasks.isEmpty()) {
            return;
        }
        ExecutorService waiters = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "lamina-spark-trial");
            t.setDaemon(true);
            return t;
        });
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            Semaphore slots = new Semaphore(parallel);
            List<Future<?>> waiting = new ArrayList<>();
            for (TrialTask task : tasks) {
                slots.acquire();
                sc.setJobDescription("lamina trial " + task.trial().number());
                JavaFutureAction<List<TrialResult>> job = sc.parallelize(List.of(task), 1)
                        .map(new RunTrial()).collectAsync();
                waiting.add(waiters.submit(() -> {
                    TrialResult r;
                    try {
                        r = job.get().get(0);
                    } catch (ExecutionException e) {
                        // Spark gave up on the task (its retries failed): the trial is recorded
                        Throwable c = e.getCause() == null ? e : e.getCause();
                        r = new TrialResult(task.trial().number(), TrialResult.FAILED, Double.NaN,
                                0, 0, "the Spark task failed: " + c.getMessage());
                    } finally {
                        slots.release();
                    }
                    synchronized (done) {
                        done.accept(r);
                    }
                    return null;
                }));
            }
            for (Future<?> f : waiting) {
                f.get();
            }
        } finally {
            waiters.shutdownNow();
        }
    }

    /** {@code executor: {spark: {...}}}: the settings, checked at their lines. */
    public static final class Provider implements TrialExecutorProvider {
        private static final List<String> KEYS = List.of("master", "app_name", "task_cpus", "conf");

        @Override
        public String name() {
            return "spark";
        }

        @Override
        public TrialExecutor create(ConfigNode settings, int parallel) {
            settings.allowKeys("spark", KEYS, "Settings: " + String.join(", ", KEYS));
            Map<String, ConfigNode> m = settings.asMap();
            ConfigNode master = m.get("master");
            if (master == null) {
                throw settings.error("spark needs 'master', such as {master: \"local[2]\"},"
                        + " {master: \"spark://host:7077\"} or {master: yarn}");
            }
            int cpus = m.containsKey("task_cpus") ? m.get("task_cpus").asInt() : 1;
            if (cpus < 1) {
                throw m.get("task_cpus").error("expected a positive number of cores per trial,"
                        + " received task_cpus=" + cpus);
            }
            SparkConf conf = new SparkConf().setMaster(master.asString())
                    .setAppName(m.containsKey("app_name") ? m.get("app_name").asString()
                            : "lamina-search")
                    .set("spark.task.cpus", Integer.toString(cpus))
                    // a trial's failure is recorded by the trial itself; a lost task is not
                    // worth four tries of a long training
                    .set("spark.task.maxFailures", "1")
                    .set("spark.ui.showConsoleProgress", "false");
            Map<String, String> extra = new LinkedHashMap<>();
            ConfigNode c = m.get("conf");
            if (c != null && !c.isNull()) {
                c.asMap().forEach((k, v) -> extra.put(k, String.valueOf(v.scalarValue())));
            }
            extra.forEach(conf::set);
            return new SparkExecutor(conf, cpus, parallel);
        }
    }
}
