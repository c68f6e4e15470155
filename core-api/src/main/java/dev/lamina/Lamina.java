package dev.lamina;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Facts about this Lamina build. */
public final class Lamina {
    /** The Lamina version, as written into saved models. */
    public static final String VERSION = readVersion();

    private Lamina() {}

    private static String readVersion() {
        try (InputStream in = Lamina.class.getResourceAsStream("lamina.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
