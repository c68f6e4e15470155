package dev.lamina.architecture.cycle.b;

import dev.lamina.architecture.cycle.a.Left;

/** Half of a deliberate package cycle, for ArchitectureTest to catch. */
public final class Right {
    /** The other half. */
    public Left other;
}
