package dev.lamina.regularizers;

import dev.lamina.spec.Catalog;
import dev.lamina.spec.ConfigNode;

/** The weight regularizers by Keras's names: {@code l1}, {@code l2}, {@code l1_l2}. */
public final class Regularizers {
    /** Name to parser. */
    public static final Catalog<RegularizerSpec> CATALOG = new Catalog<RegularizerSpec>("regularizer")
            .register("l1", m -> L1L2.l1(m.getDouble("l1", 0.01)))
            .register("l2", m -> L1L2.l2(m.getDouble("l2", 0.01)))
            .register("l1_l2", m -> L1L2.l1l2(m.getDouble("l1", 0), m.getDouble("l2", 0)))
            .shorthand("l1", "l1").shorthand("l2", "l2");

    private Regularizers() {}

    /** Parses a name or {@code {l2: {l2: 0.001}}}; null gives null (no penalty). */
    public static RegularizerSpec parse(ConfigNode node) {
        return node == null || node.isNull() ? null : CATALOG.parse(node);
    }
}
