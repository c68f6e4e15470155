package dev.lamina.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Graph run files through the command line, 'lamina plot', and the real main in a process. */
class GraphAndToolsTest {
    @TempDir
    Path tmp;

    @Test
    void aGraphRunFileTrainsEvaluatesAndSummarises() {
        Path out = tmp.resolve("graph");
        Cli t = Cli.run("train", "../examples/graph.yaml", "--epochs", "1", "--out", out.toString());
        assertEquals(0, t.status(), t.err());
        assertTrue(t.out().strip().lines().reduce((a, b) -> b).orElseThrow()
                .matches("test accuracy: 0\\.\\d{4}"), t.out());
        Cli s = Cli.run("summary", out.resolve("model").toString());
        assertEquals(0, s.status(), s.err());
        assertTrue(s.out().contains("Connected to"), s.out());
        assertTrue(s.out().contains("sum (add)"), s.out());
        Cli e = Cli.run("evaluate", out.resolve("model").toString(), "--data",
                "fashion-mnist-sample:test", "--engine", "mxnet");
        assertEquals(0, e.status(), e.err());
    }

    @Test
    void aBrokenGraphReportsTheNodesLine() throws IOException {
        String yaml = Files.readString(Path.of("../examples/graph.yaml"))
                .replace("from: [c1, c2]", "from: [c1, c9]");
        Path f = Files.writeString(tmp.resolve("g.yaml"), yaml);
        Cli c = Cli.run("train", f.toString());
        assertEquals(2, c.status());
        assertTrue(c.err().contains("g.yaml:11:"), c.err());
        assertTrue(c.err().contains("'c9' is not an input or a node of the graph. Did you mean"),
                c.err());
    }

    @Test
    void plotOverlaysRunsAndRefusesAMissingColumn() throws IOException {
        Path a = Files.createDirectories(tmp.resolve("a"));
        Path b = Files.createDirectories(tmp.resolve("b"));
        Files.writeString(a.resolve("history.csv"), "epoch,loss\n1,2.0\n2,1.0\n");
        Files.writeString(b.resolve("history.csv"), "epoch,loss\n1,2.3\n2,2.3\n");
        Path png = tmp.resolve("cmp.png");
        Cli ok = Cli.run("plot", a.toString(), b.toString(), "--out", png.toString());
        assertEquals(0, ok.status(), ok.err());
        assertTrue(Files.size(png) > 1000);
        Cli bad = Cli.run("plot", a.toString(), "--metric", "los", "--out", png.toString());
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains("no column 'los'. Did you mean 'loss'?"), bad.err());
    }

    @Test
    void theRealMainPrintsAndExitsWithItsStatus() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        Process ok = new ProcessBuilder(java, "-Dai.djl.offline=true", "-cp", cp,
                "dev.lamina.cli.Main", "summary", "../examples/lenet.yaml").start();
        String out = new String(ok.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(ok.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, ok.exitValue());
        assertTrue(out.contains("Total params: 61,706"), out);

        Path bad = Files.writeString(tmp.resolve("bad.yaml"), "name: x\nmodel: [\n");
        Process fail = new ProcessBuilder(java, "-Dai.djl.offline=true", "-cp", cp,
                "dev.lamina.cli.Main", "train", bad.toString()).start();
        String err = new String(fail.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(fail.waitFor(120, TimeUnit.SECONDS));
        assertEquals(2, fail.exitValue());
        List<String> lines = err.strip().lines().toList();
        assertEquals(1, lines.size(), err);
        assertTrue(lines.get(0).startsWith("error: " + bad + ":3: YAML syntax error"), err);
    }
}
