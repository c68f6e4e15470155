package dev.lamina.train;

import dev.lamina.spec.Spec;
import java.nio.file.Path;

/**
 * A callback as a run file names it ({@code {early_stopping: {patience: 3}}}): its settings, and
 * a fresh {@link Callback} for each {@code fit}. See {@link Callbacks} for the names and how to
 * add one.
 */
public interface CallbackSpec extends Spec {
    /**
     * A new callback with these settings; files it writes are resolved against {@code
     * runDirectory} (the run's directory; null for the working directory).
     */
    Callback create(Path runDirectory);
}
