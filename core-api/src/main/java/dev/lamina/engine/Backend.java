package dev.lamina.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import dev.lamina.spec.Names;
import java.util.List;
import java.util.Locale;

/**
 * Which DJL engine and device a model runs on: the one place Lamina chooses them.
 *
 * <p>Engine: {@code pytorch} (default) or {@code mxnet}, from the argument, else the system property
 * {@code lamina.engine}, else the environment variable {@code LAMINA_ENGINE}. Device: {@code cpu},
 * {@code gpu} / {@code gpu:N}, or {@code auto} (default: the first GPU when the engine sees one,
 * else the CPU), from {@code lamina.device} / {@code LAMINA_DEVICE}.
 */
public record Backend(String engine, Device device) {
    /** The engine names users type, and DJL's names for them. */
    public static final List<String> ENGINES = List.of("pytorch", "mxnet");

    /** The default engine and device (see the class doc). */
    public static Backend defaults() {
        return of(setting("lamina.engine", "LAMINA_ENGINE", "pytorch"),
                setting("lamina.device", "LAMINA_DEVICE", "auto"));
    }

    /** {@code engine} on the default device. */
    public static Backend of(String engine) {
        return of(engine, setting("lamina.device", "LAMINA_DEVICE", "auto"));
    }

    /** {@code engine} on {@code device} ({@code cpu}, {@code gpu}, {@code gpu:1}, {@code auto}). */
    public static Backend of(String engine, String device) {
        String djlName = djlName(engine);
        Engine e = load(djlName);
        return new Backend(djlName, device(e, device));
    }

    /** The user's name for an engine ({@code pytorch}, {@code mxnet}). */
    public String userName() {
        return engine.toLowerCase(Locale.ROOT);
    }

    /** The DJL engine instance. */
    public Engine djlEngine() {
        return load(engine);
    }

    /** Maps {@code pytorch}/{@code mxnet} (any case) to DJL's engine names. */
    public static String djlName(String engine) {
        String e = engine == null ? "pytorch" : engine.trim().toLowerCase(Locale.ROOT);
        switch (e) {
            case "pytorch":
            case "torch":
                return "PyTorch";
            case "mxnet":
                return "MXNet";
            default:
                throw new IllegalArgumentException("unknown engine '" + engine + "'."
                        + Names.didYouMean(e, ENGINES) + " Use one of: " + String.join(", ", ENGINES));
        }
    }

    private static Engine load(String djlName) {
        Threads.configure();
        NativeHeap.configure();
        if (!Engine.hasEngine(djlName)) {
            throw new IllegalStateException("the " + djlName + " engine is not on the class path: add"
                    + " ai.djl." + djlName.toLowerCase(Locale.ROOT) + " engine and native jars"
                    + " (see the README, 'Engines')");
        }
        try {
            Engine e = Engine.getEngine(djlName);
            Threads.started(djlName);
            return e;
        } catch (EngineException ex) {
            throw new IllegalStateException("the " + djlName + " engine failed to start: "
                    + ex.getMessage(), ex);
        }
    }

    private static Device device(Engine e, String device) {
        String d = device == null ? "auto" : device.trim().toLowerCase(Locale.ROOT);
        if (d.equals("auto")) {
            return e.getGpuCount() > 0 ? Device.gpu() : Device.cpu();
        }
        if (d.equals("cpu")) {
            return Device.cpu();
        }
        if (d.equals("gpu") || d.startsWith("gpu:")) {
            int id = d.equals("gpu") ? 0 : Integer.parseInt(d.substring(4));
            if (id >= e.getGpuCount()) {
                throw new IllegalArgumentException("device '" + device + "' asked for, but "
                        + e.getEngineName() + " sees " + e.getGpuCount() + " GPU(s); see the"
                        + " README, 'GPUs', for how to supply CUDA natives, or use --device cpu");
            }
            return Device.gpu(id);
        }
        throw new IllegalArgumentException("unknown device '" + device
                + "': use cpu, gpu, gpu:N or auto");
    }

    private static String setting(String property, String env, String dflt) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            v = System.getenv(env);
        }
        return v == null || v.isBlank() ? dflt : v;
    }

    @Override
    public String toString() {
        return userName() + " on " + device;
    }
}
