package dev.lamina.run.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lamina.io.AtomicFiles;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs one trial in a Java process of its own ({@link TrialMain}) and reads back its result.
 *
 * <p>A process per trial because the engines' settings are process-wide: PyTorch's and MXNet's
 * thread counts are read once when the engine starts (MXNet's from {@code OMP_NUM_THREADS}, which
 * only a new process can set), and the training loop seeds the engine's one random generator at
 * each update, so two trials in one process would draw each other's dropout masks. The process
 * gets {@code OMP_NUM_THREADS} and {@code -Dlamina.threads} set to the trial's share, the
 * classpath of this one (and of a Spark executor's class loader), and ends if this process ends.
 * Its output goes to {@code trial.log} in the trial's directory.
 */
public final class TrialProcess {
    /** The trial's run file, written into its directory. */
    public static final String RUN_FILE = "run.yaml";
    /** What the trial's process leaves: its status, metric, best epoch, seconds and message. */
    public static final String RESULT = "result.json";
    /** The trial process's output. */
    public static final String LOG = "trial.log";
    /** Java options for each trial's process (default {@code -Xmx2g}). */
    public static final String JAVA_OPTS_ENV = "LAMINA_TRIAL_JAVA_OPTS";

    private TrialProcess() {}

    /**
     * Runs {@code task} and returns its result. A trial whose directory already holds a result (a
     * search killed after the trial ended) is not run again; one that holds a checkpoint (killed
     * while it trained) goes on from it.
     */
    public static TrialResult run(TrialTask task) throws IOException, InterruptedException {
        Path dir = Paths.get(task.directory());
        Files.createDirectories(dir);
        Path result = dir.resolve(RESULT);
        int n = task.trial().number();
        if (Files.isRegularFile(result)) {
            return read(result, n);
        }
        AtomicFiles.write(dir.resolve(RUN_FILE),
                task.trial().runFile().getBytes(StandardCharsets.UTF_8));
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        String opts = System.getenv(JAVA_OPTS_ENV);
        for (String o : (opts == null || opts.isBlank() ? "-Xmx2g" : opts).trim().split("\\s+")) {
            cmd.add(o);
        }
        cmd.add("-Dlamina.threads=" + task.threads());
        cmd.add("-Dai.djl.offline=" + System.getProperty("ai.djl.offline", "true"));
        cmd.add("-Djava.awt.headless=true");
        cmd.add("-cp");
        cmd.add(classpath());
        cmd.add(TrialMain.class.getName());
        cmd.add(dir.toString());
        cmd.add(task.objective().metric());
        cmd.add(task.objective().direction());
        cmd.add(Long.toString(ProcessHandle.current().pid()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve(LOG).toFile());
        Map<String, String> env = pb.environment();
        env.put("OMP_NUM_THREADS", Integer.toString(task.threads()));
        env.putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
        env.remove("LAMINA_THREADS");
        long t0 = System.nanoTime();
        Process p = pb.start();
        int status;
        try {
            status = p.waitFor();
        } catch (InterruptedException e) {
            p.destroy();
            throw e;
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
        if (Files.isRegularFile(result)) {
            return read(result, n);
        }
        return new TrialResult(n, TrialResult.FAILED, Double.NaN, 0,
                (System.nanoTime() - t0) / 1e9, "the trial's process ended with status " + status
                        + " and no result: " + lastLine(dir.resolve(LOG)) + " (see "
                        + dir.resolve(LOG) + ")");
    }

    /** Reads the result a trial's process wrote. */
    static TrialResult read(Path result, int number) throws IOException {
        JsonNode j = new ObjectMapper().readTree(result.toFile());
        JsonNode metric = j.get("metric");
        return new TrialResult(number, j.get("status").asText(),
                metric == null || metric.isNull() ? Double.NaN : metric.asDouble(),
                j.get("best_epoch").asInt(), j.get("seconds").asDouble(),
                j.get("message").asText());
    }

    /**
     * This process's classpath, and the jars of the class loaders above this class (a Spark
     * executor loads the application's jars in a class loader of its own, not from the
     * classpath).
     */
    static String classpath() {
        Set<String> out = new LinkedHashSet<>();
        for (ClassLoader cl : List.of(Thread.currentThread().getContextClassLoader(),
                TrialProcess.class.getClassLoader())) {
            for (ClassLoader c = cl; c != null; c = c.getParent()) {
                if (c instanceof URLClassLoader u) {
                    for (URL url : u.getURLs()) {
                        if ("file".equals(url.getProtocol())) {
                            try {
                                out.add(Paths.get(url.toURI()).toString());
                            } catch (URISyntaxException | IllegalArgumentException e) {
                                // not a local file: the trial cannot use it
                            }
                        }
                    }
                }
            }
        }
        var source = TrialProcess.class.getProtectionDomain().getCodeSource();
        if (source != null && "file".equals(source.getLocation().getProtocol())) {
            try {
                out.add(Paths.get(source.getLocation().toURI()).toString());
            } catch (URISyntaxException e) {
                // the class path below has it
            }
        }
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!e.isEmpty()) {
                out.add(e);
            }
        }
        return String.join(File.pathSeparator, out);
    }

    private static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (!lines.get(i).isBlank()) {
                    return lines.get(i).trim();
                }
            }
        } catch (IOException e) {
            // no log to quote
        }
        return "(no output)";
    }
}
