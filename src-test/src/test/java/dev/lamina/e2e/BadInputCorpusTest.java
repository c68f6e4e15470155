package dev.lamina.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input never crashes the command line and never writes a thing: the corpus in
 * {@code resources/bad-inputs} (each file's first line says the exit status and a part of the
 * one line it must print), bad arguments, and a thousand mutated run files.
 */
class BadInputCorpusTest {
    @TempDir
    Path tmp;

    static Stream<Path> corpus() throws IOException, URISyntaxException {
        Path dir = Path.of(BadInputCorpusTest.class.getResource("/bad-inputs").toURI());
        return Files.list(dir).filter(p -> p.toString().endsWith(".yaml")).sorted();
    }

    /** One line on standard error (the kernel check's notice aside), no trace. */
    static void assertOneLine(Cli c) {
        List<String> lines = c.err().lines().filter(l -> !l.startsWith("lamina: ")).toList();
        assertEquals(1, lines.size(), c.err());
        assertTrue(lines.get(0).startsWith("error: "), c.err());
        assertFalse(c.err().contains("\tat ") || c.err().contains("Exception"), c.err());
    }

    @ParameterizedTest
    @MethodSource("corpus")
    void eachBadFileGivesItsStatusAndLineAndWritesNothing(Path file) throws IOException {
        String first = Files.readAllLines(file).get(0);
        assertTrue(first.startsWith("# expect: "), file + " has no '# expect: STATUS | TEXT'");
        String[] want = first.substring("# expect: ".length()).split(" \\| ", 2);
        Path out = tmp.resolve("out");
        Cli c = Cli.run("train", file.toString(), "--out", out.toString());
        assertEquals(Integer.parseInt(want[0]), c.status(), c.err());
        assertOneLine(c);
        assertTrue(c.err().contains(want[1]), "expected '" + want[1] + "' in: " + c.err());
        assertFalse(Files.exists(out), "nothing may be written for a bad file");
    }

    @Test
    void badArgumentsGiveOneLineAndStatus2() throws IOException {
        Path run = Files.writeString(tmp.resolve("ok.yaml"), """
                name: ok
                data: {train: fashion-mnist-sample:train}
                model: {input: [1, 28, 28], layers: [flatten, {dense: {units: 10}}]}
                compile: {optimizer: adam, loss: softmax_cross_entropy}
                """);
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        Files.writeString(tmp.resolve("history.csv"), "epoch,loss\n1,0.5\n2,0.4\n");
        List<List<String>> cases = List.of(
                List.of("train", "../examples", "is a directory: give a run file in it"),
                List.of("train", run.toString(), "--device", "gpu", "sees 0 GPU(s)"),
                List.of("train", run.toString(), "--out", "", "the run directory must be named"),
                List.of("train", run.toString(), "--out", file.toString(), "is a file"),
                List.of("train", run.toString(), "--epochs", "0", "epochs must be positive"),
                List.of("train", run.toString(), "--bogus", "Unknown option: '--bogus'"),
                List.of("train", run.toString(), "--threads", "0", "--threads must be at least 1"),
                List.of("plot", tmp.toString(), "--out", tmp.resolve("no/dir/p.png").toString(),
                        "does not exist: create it first"));
        for (List<String> k : cases) {
            List<String> args = k.subList(0, k.size() - 1);
            Cli c = Cli.run(args.toArray(new String[0]));
            assertEquals(2, c.status(), args + ": " + c.err());
            assertTrue(c.err().contains(k.get(k.size() - 1)), args + ": " + c.err());
            assertFalse(c.err().contains("\tat ") || c.err().contains("Exception"), c.err());
        }
        assertEquals("x", Files.readString(file));
    }

    @Test
    void aThousandMutatedRunFilesNeverCrash() throws IOException {
        String base = Files.readString(Path.of("..", "examples", "lenet.yaml"));
        String alphabet = ":{}[],- \n\"'&*!#0123456789.-eabcdxyz";
        Random r = new Random(20261201);
        Path f = tmp.resolve("m.yaml");
        int ok = 0;
        for (int i = 0; i < 1000; i++) {
            StringBuilder s = new StringBuilder(base);
            for (int edits = 1 + r.nextInt(3); edits > 0 && s.length() > 1; edits--) {
                int at = r.nextInt(s.length());
                switch (r.nextInt(4)) {
                    case 0 -> s.deleteCharAt(at);
                    case 1 -> s.insert(at, alphabet.charAt(r.nextInt(alphabet.length())));
                    case 2 -> s.setCharAt(at, alphabet.charAt(r.nextInt(alphabet.length())));
                    default -> s.insert(at, r.nextBoolean() ? "99999" : "-1");
                }
            }
            Files.writeString(f, s);
            Cli c = Cli.run("summary", f.toString());
            assertTrue(c.status() == 0 || c.status() == 2, "mutation " + i + " exit "
                    + c.status() + ":\n" + s + "\n" + c.err());
            assertFalse(c.err().contains("\tat ") || c.err().contains("Exception"),
                    "mutation " + i + ":\n" + s + "\n" + c.err());
            ok += c.status() == 0 ? 1 : 0;
        }
        assertTrue(ok > 50 && ok < 950, "a fair mix of good and bad files: " + ok + " good");
    }
}
