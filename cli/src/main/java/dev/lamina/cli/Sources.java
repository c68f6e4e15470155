package dev.lamina.cli;

import ai.djl.ndarray.types.Shape;
import dev.lamina.data.DataSources;
import dev.lamina.data.Dataset;
import dev.lamina.spec.ConfigNode;
import java.io.UncheckedIOException;

/** Loads a data source named in a run file or on the command line, reporting errors where named. */
final class Sources {
    private Sources() {}

    static Dataset load(String source, ConfigNode at) {
        return load(source, at, null);
    }

    /** Loads {@code source}, fitting images to {@code imageShape} (a model's input; may be null). */
    static Dataset load(String source, ConfigNode at, Shape imageShape) {
        try {
            return DataSources.load(source, null, imageShape);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            if (at == null) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            throw at.error(e.getMessage());
        }
    }
}
