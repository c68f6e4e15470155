package dev.lamina.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * {@code lamina bench} runs both loops and prints, per engine and model, a row whose figures
 * agree with one another (the median ratio within the rounds' range, the fraction of the floor
 * and the eval/train ratio positive); bad options are refused with exit status 2. No figure is
 * held to a speed: this machine's speed is not the code's.
 */
class BenchCommandTest {
    @Test
    void aShortBenchPrintsAConsistentRowPerModel() {
        Cli c = Cli.run("bench", "--engines", "pytorch", "--models", "mlp", "--steps", "4",
                "--rounds", "1", "--warmup", "0", "--batch-size", "32", "--floor", "--each-round");
        assertEquals(0, c.status(), c.err() + c.out());
        String row = Arrays.stream(c.out().split("\n")).filter(l -> l.startsWith("pytorch  mlp"))
                .findFirst().orElseThrow(() -> new AssertionError(c.out()));
        // engine model lamina djl ratio (lowest .. highest) eval eval/train floor lamina/floor
        // warm-up stolen
        String[] f = row.replace("(", "").replace(")", "").trim().split("\\s+");
        assertEquals(14, f.length, row);
        double lamina = Double.parseDouble(f[2]);
        double djl = Double.parseDouble(f[3]);
        double ratio = Double.parseDouble(f[4]);
        double lowest = Double.parseDouble(f[5]);
        double highest = Double.parseDouble(f[7]);
        assertTrue(lamina > 0 && djl > 0, row);
        assertTrue(lowest <= ratio && ratio <= highest && lowest > 0, row);
        assertTrue(Double.parseDouble(f[8]) > 0 && Double.parseDouble(f[9]) > 0, row);
        assertTrue(Double.parseDouble(f[10]) > 0 && Double.parseDouble(f[11]) > 0, row);
        int warmed = Integer.parseInt(f[12]);
        assertTrue(warmed >= 0 && warmed <= 64,
                "warm-up rounds beyond --warmup are capped at 64: " + row);
        assertTrue(f[13].matches("\\d+%|-"), "the host's stolen share: " + row);
        assertTrue(c.out().contains("4 steps of 32 samples per side and round (4 runs of 1 pass(es)"
                + " over 32 samples, in the order A B E B A B A E A B), 2 rounds (1 asked; one more,"
                + " so that each side goes first in half)"), c.out());
        // --each-round: one line per counted round, its ratio the quotient of its two speeds
        String[] each = Arrays.stream(c.out().split("\n"))
                .filter(l -> l.startsWith("  pytorch mlp round ")).toArray(String[]::new);
        assertEquals(2, each.length, c.out());
        // each side goes first in one of the two; which one starts depends on how many rounds
        // the JIT kept uncounted, since rounds alternate from the first warm-up round
        assertEquals(1, Arrays.stream(each).filter(l -> l.contains("(lamina first)")).count(),
                c.out());
        assertEquals(1, Arrays.stream(each).filter(l -> l.contains("(djl first)")).count(),
                c.out());
        for (String line : each) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                    "lamina (\\d+), djl (\\d+), ratio ([0-9.]+) \\((lamina|djl) first\\),"
                            + " eval (\\d+), stolen (\\d+%|-), JIT (\\d+) of (\\d+) ms;")
                    .matcher(line);
            assertTrue(m.find(), line);
            double roundLamina = Double.parseDouble(m.group(1));
            double roundDjl = Double.parseDouble(m.group(2));
            double quotient = roundLamina / roundDjl;
            assertEquals(quotient, Double.parseDouble(m.group(3)), 0.002 + 0.001 * quotient, line);
            // the runs in the order A B E B A B A E A B, A the side named first; each side's
            // speed is its runs' samples over their summed time: the harmonic mean of their speeds
            java.util.regex.Matcher r = java.util.regex.Pattern.compile("runs in order: (.*)$")
                    .matcher(line);
            assertTrue(r.find(), line);
            String a = m.group(4).equals("lamina") ? "L" : "D";
            String b = a.equals("L") ? "D" : "L";
            StringBuilder order = new StringBuilder();
            java.util.Map<String, double[]> inverse = new java.util.HashMap<>();
            for (String run : r.group(1).split(", ")) {
                String[] kv = run.split(" ");
                order.append(kv[0]);
                double[] sum = inverse.computeIfAbsent(kv[0], k -> new double[2]);
                sum[0] += 1 / Double.parseDouble(kv[1]);
                sum[1]++;
            }
            assertEquals("ABEBABAEAB".replace("A", a).replace("B", b), order.toString(), line);
            assertEquals(inverse.get("L")[1] / inverse.get("L")[0], roundLamina, 1.5, line);
            assertEquals(inverse.get("D")[1] / inverse.get("D")[0], roundDjl, 1.5, line);
            assertEquals(inverse.get("E")[1] / inverse.get("E")[0], Double.parseDouble(m.group(5)),
                    1.5, line);
        }
    }

    @Test
    void badOptionsAreRefusedWithStatusTwo() {
        Cli model = Cli.run("bench", "--models", "vgg");
        assertEquals(2, model.status(), model.err());
        assertTrue(model.err().contains("unknown bench model 'vgg'"), model.err());
        Cli rounds = Cli.run("bench", "--rounds", "0");
        assertEquals(2, rounds.status(), rounds.err());
        assertTrue(rounds.err().contains("--steps, --rounds and --batch-size must be positive"),
                rounds.err());
    }
}
