package dev.lamina.io;

import java.io.IOException;
import java.nio.file.Path;

/** A saved model's file is missing, damaged or foreign; the message names the file. */
public class InvalidModelException extends IOException {
    private final transient Path file;

    /** {@code file} is the offending file; {@code problem} says what is wrong with it. */
    public InvalidModelException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    /**
     * For a problem whose message already names the file and line ({@code file:12: field: ...}),
     * such as a setting of the saved architecture.
     */
    public InvalidModelException(Path file, IllegalArgumentException located) {
        super(located.getMessage(), located);
        this.file = file;
    }

    /** The offending file. */
    public Path file() {
        return file;
    }
}
