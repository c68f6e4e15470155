package dev.lamina.run.search;

import dev.lamina.spec.ConfigNode;

/**
 * Makes an executor a search file can name ({@code executor: {NAME: {settings}}}); found with
 * {@link java.util.ServiceLoader}, so a jar (lamina-cli's Spark executor) adds one.
 */
public interface TrialExecutorProvider {
    /** The name the search file gives, such as {@code spark}. */
    String name();

    /**
     * An executor for {@code settings} (a map node; errors at its lines) that runs at most
     * {@code parallel} trials at once.
     */
    TrialExecutor create(ConfigNode settings, int parallel);
}
