package dev.lamina.run.search;

import java.util.Map;

/**
 * One trial of a search: its number (from 1), the values it gives the space's paths, and the run
 * file those values make of the base file (checked, as YAML text).
 */
public record Trial(int number, Map<String, Object> values, String runFile)
        implements java.io.Serializable {
    public Trial {
        values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
    }

    /** The trial's run directory inside the search's: {@code trial-001}, {@code trial-002}, ... */
    public String directoryName() {
        return String.format(java.util.Locale.ROOT, "trial-%03d", number);
    }
}
