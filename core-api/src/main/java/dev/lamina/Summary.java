package dev.lamina;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/** Renders a model's table of layers, as Keras's {@code model.summary()}. */
public final class Summary {
    private Summary() {}

    /**
     * One layer of the table: its name, type, per-sample output shape, its block (for parameter
     * counts, may be null) and the names of the layers feeding it (empty for a Sequential model).
     */
    public record Row(String name, String type, Shape output, Block block, List<String> inputs) {}

    /** Counts the weights of {@code block} whose parameter passes {@code which}. */
    public static long count(Block block, Predicate<Parameter> which) {
        long n = 0;
        if (block == null) {
            return 0;
        }
        for (Pair<String, Parameter> p : block.getParameters()) {
            Parameter param = p.getValue();
            if (which.test(param) && param.isInitialized()) {
                n += param.getArray().size();
            }
        }
        return n;
    }

    /** A per-sample shape as Keras prints it: {@code (None, 6, 28, 28)}. */
    public static String shape(Shape s) {
        StringBuilder sb = new StringBuilder("(None");
        for (long d : s.getShape()) {
            sb.append(", ").append(d);
        }
        return sb.append(')').toString();
    }

    static String render(Model model, List<Row> rows) {
        boolean graph = rows.stream().anyMatch(r -> !r.inputs().isEmpty());
        int w1 = "Layer (type)".length();
        int w2 = "Output Shape".length();
        int w3 = "Param #".length();
        int w4 = "Connected to".length();
        for (Row r : rows) {
            w1 = Math.max(w1, (r.name() + " (" + r.type() + ")").length());
            w2 = Math.max(w2, shape(r.output()).length());
            w3 = Math.max(w3, fmt(count(r.block(), p -> true)).length());
            w4 = Math.max(w4, String.join(", ", r.inputs()).length());
        }
        String rowFmt = "%-" + w1 + "s  %-" + w2 + "s  %" + w3 + "s" + (graph ? "  %-" + w4 + "s" : "%s");
        int width = w1 + w2 + w3 + 4 + (graph ? w4 + 2 : 0);
        StringBuilder sb = new StringBuilder();
        sb.append("Model: \"").append(model.name()).append("\"\n");
        sb.append("-".repeat(width)).append('\n');
        sb.append(String.format(Locale.ROOT, rowFmt, "Layer (type)", "Output Shape", "Param #",
                graph ? "Connected to" : "")).append('\n');
        sb.append("=".repeat(width)).append('\n');
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, rowFmt, r.name() + " (" + r.type() + ")",
                    shape(r.output()), fmt(count(r.block(), p -> true)),
                    graph ? String.join(", ", r.inputs()) : "")).append('\n');
        }
        sb.append("=".repeat(width)).append('\n');
        long total = model.countParameters();
        long trainable = model.countTrainableParameters();
        sb.append("Total params: ").append(fmt(total)).append('\n');
        sb.append("Trainable params: ").append(fmt(trainable)).append('\n');
        sb.append("Non-trainable params: ").append(fmt(total - trainable)).append('\n');
        return sb.toString();
    }

    private static String fmt(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
