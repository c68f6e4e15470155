package dev.lamina.run.search;

import dev.lamina.spec.ConfigNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The values one setting takes in a search, written as a one-key map in the search file:
 * {@code {log_uniform: [1e-4, 1e-2]}} (uniform in the logarithm), {@code {uniform: [0, 0.5]}},
 * {@code {int: [32, 256]}} (every integer equally likely), {@code {log_int: [16, 512]}}
 * (integers, uniform in the logarithm) and {@code {choice: [64, 128, 256]}} (any value, each
 * equally likely). A random search draws from it; a grid search takes {@link #grid(int)} points.
 */
public sealed interface Space {
    /** The names a search file may give a space. */
    List<String> TYPES = List.of("log_uniform", "uniform", "int", "log_int", "choice");

    /** One value drawn from the space. */
    Object sample(Random r);

    /**
     * The space's grid: {@code points} values evenly spaced over a range (in the logarithm for
     * the log spaces; integers rounded and repeats dropped), or every value of a choice.
     */
    List<Object> grid(int points);

    /** The space as the search file writes it, such as {@code {uniform: [0.0, 0.5]}}. */
    Map<String, Object> toMap();

    /** Reals in [low, high), uniform. */
    record Uniform(double low, double high) implements Space {
        public Uniform {
            checkRange("uniform", low, high, false);
        }

        @Override
        public Object sample(Random r) {
            return low + (high - low) * r.nextDouble();
        }

        @Override
        public List<Object> grid(int points) {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < points; i++) {
                out.add(points == 1 ? (low + high) / 2 : low + (high - low) * i / (points - 1));
            }
            return out;
        }

        @Override
        public Map<String, Object> toMap() {
            return Map.of("uniform", List.of(low, high));
        }
    }

    /** Reals in [low, high) whose logarithm is uniform: a learning rate's space. */
    record LogUniform(double low, double high) implements Space {
        public LogUniform {
            checkRange("log_uniform", low, high, true);
        }

        @Override
        public Object sample(Random r) {
            return Math.exp(Math.log(low) + (Math.log(high) - Math.log(low)) * r.nextDouble());
        }

        @Override
        public List<Object> grid(int points) {
            List<Object> out = new ArrayList<>();
            for (Object u : new Uniform(Math.log(low), Math.log(high)).grid(points)) {
                out.add(Math.exp((Double) u));
            }
            // the ends exactly as written, not exp(log(x))
            if (points > 1) {
                out.set(0, low);
                out.set(points - 1, high);
            }
            return out;
        }

        @Override
        public Map<String, Object> toMap() {
            return Map.of("log_uniform", List.of(low, high));
        }
    }

    /** Integers from low to high, both included, each equally likely. */
    record IntRange(long low, long high) implements Space {
        public IntRange {
            checkRange("int", low, high, false);
        }

        @Override
        public Object sample(Random r) {
            return narrow(low + (long) Math.floor(r.nextDouble() * (high - low + 1)));
        }

        @Override
        public List<Object> grid(int points) {
            return rounded(new Uniform(low, high).grid(points));
        }

        @Override
        public Map<String, Object> toMap() {
            return Map.of("int", List.of(low, high));
        }
    }

    /** Integers from low to high, both included, uniform in the logarithm (rounded). */
    record LogInt(long low, long high) implements Space {
        public LogInt {
            checkRange("log_int", low, high, true);
        }

        @Override
        public Object sample(Random r) {
            // a real in [log(low - 0.5), log(high + 0.5)) rounded: every integer can come out
            double lo = Math.log(low - 0.5 > 0 ? low - 0.5 : low);
            double hi = Math.log(high + 0.5);
            long v = Math.round(Math.exp(lo + (hi - lo) * r.nextDouble()));
            return narrow(Math.min(high, Math.max(low, v)));
        }

        @Override
        public List<Object> grid(int points) {
            return rounded(new LogUniform(low, high).grid(points));
        }

        @Override
        public Map<String, Object> toMap() {
            return Map.of("log_int", List.of(low, high));
        }
    }

    /** One of the listed values (numbers, names, true/false), each equally likely. */
    record Choice(List<Object> values) implements Space {
        public Choice {
            if (values.isEmpty()) {
                throw new IllegalArgumentException("choice needs at least one value, such as"
                        + " {choice: [64, 128, 256]}");
            }
            values = List.copyOf(values);
        }

        @Override
        public Object sample(Random r) {
            return values.get((int) Math.floor(r.nextDouble() * values.size()));
        }

        @Override
        public List<Object> grid(int points) {
            return values;
        }

        @Override
        public Map<String, Object> toMap() {
            return Map.of("choice", values);
        }
    }

    /** Reads a space from the search file (errors at its line). */
    static Space parse(ConfigNode node) {
        if (!node.isMap() || node.asMap().size() != 1) {
            throw node.error("a space is one of " + String.join(", ", TYPES) + ", such as"
                    + " {log_uniform: [0.0001, 0.01]} or {choice: [64, 128, 256]}; got "
                    + node.describe());
        }
        Map.Entry<String, ConfigNode> e = node.asMap().entrySet().iterator().next();
        String type = e.getKey();
        ConfigNode v = e.getValue();
        if (!TYPES.contains(type)) {
            node.allowKeys(null, TYPES, "A space is one of: " + String.join(", ", TYPES));
        }
        if (!v.isList()) {
            throw v.error(type + " takes a list, such as {" + type + ": "
                    + (type.equals("choice") ? "[64, 128, 256]" : "[LOW, HIGH]") + "}");
        }
        List<ConfigNode> items = v.asList();
        try {
            if (type.equals("choice")) {
                List<Object> values = new ArrayList<>();
                for (ConfigNode i : items) {
                    if (!i.isScalar() || i.isNull()) {
                        throw i.error("choice lists plain values (numbers, names, true/false),"
                                + " got " + i.describe());
                    }
                    values.add(i.scalarValue());
                }
                return new Choice(values);
            }
            if (items.size() != 2) {
                throw v.error(type + " takes two values, [LOW, HIGH], received a list of "
                        + items.size());
            }
            return switch (type) {
                case "uniform" -> new Uniform(items.get(0).asDouble(), items.get(1).asDouble());
                case "log_uniform" -> new LogUniform(items.get(0).asDouble(),
                        items.get(1).asDouble());
                case "int" -> new IntRange(items.get(0).asLong(), items.get(1).asLong());
                default -> new LogInt(items.get(0).asLong(), items.get(1).asLong());
            };
        } catch (dev.lamina.spec.ConfigException x) {
            throw x;
        } catch (IllegalArgumentException x) {
            throw v.error(x.getMessage());
        }
    }

    private static void checkRange(String type, double low, double high, boolean log) {
        if (!(Double.isFinite(low) && Double.isFinite(high) && low <= high)) {
            throw new IllegalArgumentException(type + " takes [LOW, HIGH] with LOW <= HIGH, both"
                    + " finite, received [" + low + ", " + high + "]");
        }
        if (log && low <= 0) {
            throw new IllegalArgumentException(type + " draws in the logarithm: LOW must be"
                    + " positive, received [" + low + ", " + high + "]; use "
                    + (type.equals("log_int") ? "int" : "uniform") + " for a range from 0");
        }
    }

    private static List<Object> rounded(List<Object> reals) {
        LinkedHashSet<Object> out = new LinkedHashSet<>();
        for (Object d : reals) {
            out.add(narrow(Math.round((Double) d)));
        }
        return new ArrayList<>(out);
    }

    /** An int when it fits (as YAML reads small integers), else a long. */
    private static Object narrow(long v) {
        return v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE ? (Object) (int) v : (Object) v;
    }
}
