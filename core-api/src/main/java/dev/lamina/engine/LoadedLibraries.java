package dev.lamina.engine;

import com.sun.jna.Library;
import com.sun.jna.NativeLibrary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The engines' native libraries this process loaded, found in its memory map: DJL loads them
 * from its cache and has no call that says where, and Lamina reaches a few of their functions
 * that DJL does not offer (see {@link TorchOneDnn}, {@link MxnetGradientMarks}).
 */
final class LoadedLibraries {
    /** dlopen's RTLD_LAZY, without RTLD_GLOBAL. */
    private static final int RTLD_LAZY = 1;

    private LoadedLibraries() {}

    /**
     * The loaded library named {@code fileName}, opened again to look up its functions, if it is
     * loaded. Opened without RTLD_GLOBAL, JNA's default: that would put all of the library's
     * symbols before those of every library loaded later, and libmxnet carries its own libjpeg,
     * which then stood in for the one of the JDK's JPEG codec (ImageIO lost its JPEG reader and
     * writer).
     */
    static Optional<NativeLibrary> open(String fileName) {
        return find(fileName).map(path -> NativeLibrary.getInstance(path.toString(),
                Map.of(Library.OPTION_OPEN_FLAGS, RTLD_LAZY)));
    }

    /** The path of the loaded library named {@code fileName} (e.g. {@code libmxnet.so}), if any. */
    private static Optional<Path> find(String fileName) {
        Path maps = Path.of("/proc/self/maps");
        if (!Files.isReadable(maps)) {
            return Optional.empty();
        }
        String suffix = "/" + fileName;
        try (Stream<String> lines = Files.lines(maps)) {
            return lines.map(l -> l.substring(l.indexOf('/') < 0 ? l.length() : l.indexOf('/')))
                    .filter(p -> p.endsWith(suffix))
                    .findFirst().map(Path::of);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
