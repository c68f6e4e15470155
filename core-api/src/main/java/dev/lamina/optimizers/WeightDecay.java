package dev.lamina.optimizers;

import ai.djl.ndarray.NDArray;
import dev.lamina.spec.ConfigNode;
import dev.lamina.spec.SpecException;
import dev.lamina.spec.SpecMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Keras 3's decoupled weight decay, the same for every optimizer that takes it: before each
 * update, {@code w -= w·weight_decay·lr} (the step's learning rate), then the optimizer's own
 * rule. A weight whose name contains one of {@code exclude} is not decayed: each entry is searched
 * for in the name as a regular expression, as Keras's {@code exclude_from_weight_decay(var_names=...)}
 * does, so a plain word such as {@code bias} matches every name that contains it.
 *
 * <p>The names are the parameters' own names in their layer, as Keras's {@code variable.name}:
 * {@code weight} and {@code bias} (dense, convolutions; Keras's {@code kernel} is {@code weight}),
 * {@code gamma} and {@code beta} (batch and layer normalization), {@code embeddings},
 * {@code kernel_l0}, {@code recurrent_kernel_l0}, {@code bias_l0}, {@code recurrent_bias_l0}
 * (recurrent layers). {@code [bias, gamma, beta]} leaves every bias and normalization scale and
 * shift undecayed.
 *
 * @param rate the decay per unit of learning rate, >= 0 (0 is off)
 * @param exclude name patterns of the weights left undecayed (empty: every weight decays)
 */
public record WeightDecay(double rate, List<String> exclude) {
    /** No decay. */
    public static final WeightDecay NONE = new WeightDecay(0, List.of());

    public WeightDecay {
        exclude = exclude == null ? List.of() : List.copyOf(exclude);
    }

    /** Decay by {@code rate}, every weight. */
    public static WeightDecay of(double rate) {
        return new WeightDecay(rate, List.of());
    }

    /** This decay, leaving undecayed the weights whose names contain one of {@code names}. */
    public WeightDecay excluding(String... names) {
        return new WeightDecay(rate, List.of(names));
    }

    /** True when no weight decays. */
    public boolean isOff() {
        return rate == 0;
    }

    /**
     * Refuses a negative rate, an exclusion list without decay (it would do nothing) and a name
     * pattern that is not a regular expression, naming optimizer {@code type}.
     */
    void check(String type) {
        Checks.nonNegative(type, "weight_decay", rate);
        if (!exclude.isEmpty() && rate == 0) {
            throw new SpecException(type, "exclude_from_weight_decay", "has no effect without weight decay: "
                    + "set weight_decay > 0 (such as 0.004), received weight_decay=0 and exclude_from_weight_decay="
                    + exclude);
        }
        for (String name : exclude) {
            if (name == null || name.isEmpty()) {
                throw new SpecException(type, "exclude_from_weight_decay",
                        "expected parameter names such as bias or gamma, received an empty name in " + exclude);
            }
            try {
                Pattern.compile(name);
            } catch (PatternSyntaxException e) {
                throw new SpecException(type, "exclude_from_weight_decay", "expected a name or a regular expression, "
                        + "received '" + name + "': " + e.getDescription());
            }
        }
    }

    /** Reads {@code weight_decay} (default {@code dflt}) and {@code exclude_from_weight_decay} (a list of names). */
    static WeightDecay fromMap(SpecMap m, double dflt) {
        double rate = m.getDouble("weight_decay", dflt);
        ConfigNode names = m.get("exclude_from_weight_decay");
        List<String> exclude = new ArrayList<>();
        if (names != null) {
            for (ConfigNode n : names.asList()) {
                exclude.add(n.asString());
            }
        }
        return new WeightDecay(rate, exclude);
    }

    /**
     * Adds {@code weight_decay} (when on, or always when {@code always}: AdamW writes its default)
     * and {@code exclude_from_weight_decay} (when any) to an optimizer's config.
     */
    void writeTo(Map<String, Object> config, boolean always) {
        if (always || rate > 0) {
            config.put("weight_decay", rate);
        }
        if (!exclude.isEmpty()) {
            config.put("exclude_from_weight_decay", exclude);
        }
    }

    /** Whether the weight named {@code name} decays. */
    boolean appliesTo(String name) {
        if (rate == 0) {
            return false;
        }
        for (String pattern : exclude) {
            if (Pattern.compile(pattern).matcher(name).find()) {
                return false;
            }
        }
        return true;
    }

    /** Shrinks {@code w} in place by {@code w·rate·lr}. */
    void apply(NDArray w, double lr) {
        w.subi(w.mul((float) (rate * lr)));
    }
}
