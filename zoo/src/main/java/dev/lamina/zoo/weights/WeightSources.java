package dev.lamina.zoo.weights;

import dev.lamina.Model;
import dev.lamina.engine.Backend;
import dev.lamina.io.AtomicFiles;
import dev.lamina.io.InvalidModelException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where weights come from: a saved Lamina model directory, a file checked against the SHA-256
 * it should have, or a URL downloaded once into a cache folder ({@code ~/.lamina/models} unless
 * told otherwise) and checked the same way.
 *
 * <p>A download goes to a hidden temporary file in the cache folder, is counted and hashed as it
 * arrives, and is renamed to its name only when it has every byte the server announced and the
 * expected SHA-256: a download cut short or with another checksum leaves no file, and the error
 * says which. A file already in the cache with the expected checksum is used without asking the
 * server; one with another checksum (damaged) is downloaded again.
 */
public final class WeightSources {
    /** The system property that moves the cache folder (else {@code ~/.lamina/models}). */
    public static final String CACHE_PROPERTY = "lamina.models.dir";
    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._-]");

    private final Path cacheDir;
    private final HttpClient http;

    /** Downloads into {@code cacheDir} (created when first needed). */
    public WeightSources(Path cacheDir) {
        this.cacheDir = cacheDir;
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30)).build();
    }

    /** Downloads into {@link #defaultCacheDir()}. */
    public static WeightSources defaults() {
        return new WeightSources(defaultCacheDir());
    }

    /** {@code ~/.lamina/models}, or the folder the {@value #CACHE_PROPERTY} property names. */
    public static Path defaultCacheDir() {
        String dir = System.getProperty(CACHE_PROPERTY);
        return dir != null && !dir.isBlank() ? Path.of(dir)
                : Path.of(System.getProperty("user.home"), ".lamina", "models");
    }

    /** The cache folder. */
    public Path cacheDir() {
        return cacheDir;
    }

    /** A saved Lamina model (its own checksum checked), on {@code backend} (null: the default). */
    public static Model localModel(Path dir, Backend backend) throws IOException {
        return Model.load(dir, backend);
    }

    /**
     * {@code file}, after checking that its SHA-256 is {@code sha256} (hex).
     *
     * @throws InvalidModelException naming the file and both checksums when they differ
     */
    public static Path verified(Path file, String sha256) throws IOException {
        String want = checkSha(sha256);
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no weights file here");
        }
        String got = AtomicFiles.sha256(file);
        if (!got.equals(want)) {
            throw new InvalidModelException(file, "its SHA-256 is " + got + " but " + want
                    + " was expected: the file is damaged, cut short or another one; fetch it"
                    + " again");
        }
        return file;
    }

    /**
     * The file at {@code url}, from the cache when it is there with checksum {@code sha256},
     * else downloaded (once), checked and put in the cache atomically.
     *
     * @return the cached file: {@code <cache>/<first 16 hex digits of the SHA-256>-<name>}
     * @throws DownloadException when the server refuses, the download is cut short or its
     *     checksum differs; no file is left behind
     */
    public Path download(URI url, String sha256) throws IOException {
        String want = checkSha(sha256);
        Path target = cacheDir.resolve(want.substring(0, 16) + "-" + fileName(url));
        if (Files.isRegularFile(target)) {
            if (AtomicFiles.sha256(target).equals(want)) {
                return target;
            }
            Files.delete(target); // damaged in the cache: fetch it again
        }
        Files.createDirectories(cacheDir);
        HttpResponse<InputStream> response;
        try {
            response = http.send(HttpRequest.newBuilder(url).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DownloadException(url, "interrupted; nothing was written");
        } catch (IOException e) {
            throw new DownloadException(url, "cannot be reached (" + message(e) + ")");
        }
        long announced = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new DownloadException(url, "the server answered HTTP "
                        + response.statusCode() + "; nothing was written");
            }
            AtomicFiles.write(target, out -> copyChecked(url, body, out, announced, want));
        }
        return target;
    }

    private static void copyChecked(URI url, InputStream in, OutputStream out, long announced,
            String want) throws IOException {
        MessageDigest md = sha256();
        byte[] buf = new byte[1 << 16];
        long n = 0;
        try {
            for (int r; (r = in.read(buf)) >= 0; ) {
                out.write(buf, 0, r);
                md.update(buf, 0, r);
                n += r;
            }
        } catch (IOException e) {
            throw new DownloadException(url, "was cut short after " + n + " bytes"
                    + (announced >= 0 ? " of " + announced : "") + " (" + message(e)
                    + "); nothing was written, try again");
        }
        if (announced >= 0 && n != announced) {
            throw new DownloadException(url, "was cut short: " + n + " bytes of the " + announced
                    + " announced; nothing was written, try again");
        }
        String got = HexFormat.of().formatHex(md.digest());
        if (!got.equals(want)) {
            throw new DownloadException(url, "has SHA-256 " + got + " but " + want + " was"
                    + " expected (" + n + " bytes): another or a damaged file; nothing was written");
        }
    }

    private static String checkSha(String sha256) {
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("expected a SHA-256 as 64 hex digits, received '"
                    + sha256 + "' (sha256sum FILE prints it)");
        }
        return sha256.toLowerCase(Locale.ROOT);
    }

    /** The URL's last path segment, with only safe characters. */
    private static String fileName(URI url) {
        String p = url.getPath() == null ? "" : url.getPath();
        String last = p.substring(p.lastIndexOf('/') + 1);
        String safe = UNSAFE.matcher(last).replaceAll("_");
        return safe.isEmpty() || safe.startsWith(".") ? "weights" + safe : safe;
    }

    private static String message(IOException e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** A download that failed; the message names the URL and what went wrong. */
    public static final class DownloadException extends IOException {
        private final URI url;

        DownloadException(URI url, String problem) {
            super(url + ": " + problem);
            this.url = url;
        }

        /** The URL asked for. */
        public URI url() {
            return url;
        }
    }
}
