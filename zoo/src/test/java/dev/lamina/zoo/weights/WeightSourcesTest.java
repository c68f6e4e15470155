package dev.lamina.zoo.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.lamina.Model;
import dev.lamina.Sequential;
import dev.lamina.io.AtomicFiles;
import dev.lamina.io.InvalidModelException;
import dev.lamina.layers.Dense;
import dev.lamina.zoo.weights.WeightSources.DownloadException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads from an HTTP server on 127.0.0.1 that this test starts. */
class WeightSourcesTest {
    static final Path H5 = Path.of("src/test/resources/keras/cnn.keras2.h5");

    @TempDir
    Path cache;
    HttpServer server;
    byte[] body;
    String sha;
    final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

    @BeforeEach
    void start() throws IOException {
        body = Files.readAllBytes(H5);
        sha = AtomicFiles.sha256(H5);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            requests.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
            try (ex) {
                if (path.startsWith("/weights/")) {
                    ex.sendResponseHeaders(200, body.length);
                    ex.getResponseBody().write(body);
                } else if (path.startsWith("/short/")) {
                    // announces every byte, sends half, then closes the connection
                    ex.sendResponseHeaders(200, body.length);
                    OutputStream out = ex.getResponseBody();
                    out.write(body, 0, body.length / 2);
                    out.flush();
                    throw new IOException("the test server stops half-way");
                } else {
                    ex.sendResponseHeaders(404, -1);
                }
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    List<Path> cacheFiles() throws IOException {
        if (!Files.isDirectory(cache)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(cache)) {
            return s.toList();
        }
    }

    @Test
    void downloadsOnceThenServesTheCachedFileWithoutARequest() throws IOException {
        WeightSources src = new WeightSources(cache);
        Path got = src.download(url("/weights/cnn.keras2.h5"), sha.toUpperCase());
        assertEquals(cache.resolve(sha.substring(0, 16) + "-cnn.keras2.h5"), got);
        assertArrayEquals(body, Files.readAllBytes(got));
        assertEquals(1, requests.get("/weights/cnn.keras2.h5").get());
        assertEquals(got, src.download(url("/weights/cnn.keras2.h5"), sha));
        assertEquals(1, requests.get("/weights/cnn.keras2.h5").get(), "the second time asks no one");
        assertEquals(List.of(got), cacheFiles());
        // and the file is Keras weights
        assertEquals(List.of("conv2d", "batch_normalization", "dense"),
                KerasFiles.read(got).layerNames());
        // a damaged cached file is fetched again
        Files.write(got, new byte[] {1, 2, 3});
        assertArrayEquals(body, Files.readAllBytes(src.download(url("/weights/cnn.keras2.h5"), sha)));
        assertEquals(2, requests.get("/weights/cnn.keras2.h5").get());
    }

    @Test
    void aBadChecksumIsRefusedAndLeavesNoFile() throws IOException {
        String wrong = "0".repeat(64);
        URI u = url("/weights/cnn.keras2.h5");
        DownloadException e = assertThrows(DownloadException.class,
                () -> new WeightSources(cache).download(u, wrong));
        assertEquals(u + ": has SHA-256 " + sha + " but " + wrong + " was expected ("
                + body.length + " bytes): another or a damaged file; nothing was written",
                e.getMessage());
        assertEquals(List.of(), cacheFiles());
    }

    @Test
    void aTruncatedDownloadIsRefusedAndLeavesNoFile() throws IOException {
        URI u = url("/short/cnn.keras2.h5");
        DownloadException e = assertThrows(DownloadException.class,
                () -> new WeightSources(cache).download(u, sha));
        assertTrue(e.getMessage().startsWith(u + ": was cut short"), e.getMessage());
        assertTrue(e.getMessage().contains("of " + body.length), e.getMessage());
        assertTrue(e.getMessage().endsWith("nothing was written, try again"), e.getMessage());
        assertEquals(List.of(), cacheFiles());
    }

    @Test
    void aMissingFileOnTheServerSaysItsStatus() throws IOException {
        URI u = url("/nothing/here.h5");
        DownloadException e = assertThrows(DownloadException.class,
                () -> new WeightSources(cache).download(u, sha));
        assertEquals(u + ": the server answered HTTP 404; nothing was written", e.getMessage());
        assertEquals(List.of(), cacheFiles());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> new WeightSources(cache).download(u, "abc"));
        assertEquals("expected a SHA-256 as 64 hex digits, received 'abc' (sha256sum FILE prints"
                + " it)", bad.getMessage());
    }

    @Test
    void aLocalFileIsCheckedAgainstItsChecksum(@TempDir Path tmp) throws IOException {
        assertEquals(H5, WeightSources.verified(H5, sha));
        Path cut = Files.write(tmp.resolve("cut.h5"), java.util.Arrays.copyOf(body, 100));
        InvalidModelException e = assertThrows(InvalidModelException.class,
                () -> WeightSources.verified(cut, sha));
        assertEquals(cut + ": its SHA-256 is " + AtomicFiles.sha256(cut) + " but " + sha
                + " was expected: the file is damaged, cut short or another one; fetch it again",
                e.getMessage());
    }

    @Test
    void aSavedLaminaModelLoadsWithItsWeights(@TempDir Path tmp) throws IOException {
        float[] w;
        try (Sequential m = new Sequential("small")) {
            m.input(3).add(new Dense(2)).seed(7);
            w = m.layerBlock("dense").getParameters().get(0).getValue().getArray().toFloatArray();
            m.save(tmp.resolve("small"));
        }
        try (Model back = WeightSources.localModel(tmp.resolve("small"), null)) {
            assertArrayEquals(w, ((Sequential) back).layerBlock("dense").getParameters().get(0)
                    .getValue().getArray().toFloatArray());
        }
    }

    @Test
    void theCacheFolderDefaultsToTheHomeAndCanBeMoved() {
        String before = System.getProperty(WeightSources.CACHE_PROPERTY);
        try {
            System.clearProperty(WeightSources.CACHE_PROPERTY);
            assertEquals(Path.of(System.getProperty("user.home"), ".lamina", "models"),
                    WeightSources.defaultCacheDir());
            System.setProperty(WeightSources.CACHE_PROPERTY, cache.toString());
            assertEquals(cache, WeightSources.defaults().cacheDir());
        } finally {
            if (before == null) {
                System.clearProperty(WeightSources.CACHE_PROPERTY);
            } else {
                System.setProperty(WeightSources.CACHE_PROPERTY, before);
            }
        }
    }
}
