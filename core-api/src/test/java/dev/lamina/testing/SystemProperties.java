package dev.lamina.testing;

/** Tests that set a system property for a while: Lamina reads several switches from them. */
public final class SystemProperties {
    private SystemProperties() {}

    /** What runs while the property is set; it may throw what the test lets through. */
    @FunctionalInterface
    public interface Body<T, E extends Exception> {
        T run() throws E;
    }

    /**
     * Runs {@code body} with system property {@code key} set to {@code value} (cleared when
     * {@code value} is null), then puts back what was there before.
     */
    public static <T, E extends Exception> T with(String key, String value, Body<T, E> body) throws E {
        String before = System.getProperty(key);
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
        try {
            return body.run();
        } finally {
            if (before == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, before);
            }
        }
    }
}
