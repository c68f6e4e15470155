package dev.lamina.testing;

import dev.lamina.engine.KernelCheck;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Runs Lamina's kernel check on both engines before any test, as a model's first build does, so
 * that tests which drive DJL directly get the same protection (oneDNN off where it is faulty).
 */
public final class KernelCheckSession implements LauncherSessionListener {
    @Override
    public void launcherSessionOpened(LauncherSession session) {
        TestEngines.names().forEach(KernelCheck::ensure);
    }
}
