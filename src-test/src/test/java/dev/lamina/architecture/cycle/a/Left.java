package dev.lamina.architecture.cycle.a;

import dev.lamina.architecture.cycle.b.Right;

/** Half of a deliberate package cycle, for ArchitectureTest to catch. */
public final class Left {
    /** The other half. */
    public Right other;
}
