package dev.lamina.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.lamina.engine.Constants;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * Copies values from Java memory to an engine through one reusable direct buffer per thread, of
 * at most {@value #CHUNK_BYTES} bytes. DJL copies a Java array into a fresh direct buffer of its
 * own before the engine copies it again, so a batch cost two new allocations, and the copy of a
 * whole data set three of its size; fresh memory is slow to touch the first time (on the machine
 * this was measured on, most of the time a data set's copy took). Here the values go straight
 * into the buffer, the engine copies them from there, and a larger array is filled chunk by chunk
 * into its slices.
 *
 * <p>PyTorch makes an array that uses the direct buffer's memory instead of copying it; whether
 * an engine does is checked once, and there the array is copied out before the buffer is used
 * again.
 *
 * <p>Where an engine lends out an array's own memory ({@code toByteBuffer(true)} a view of it,
 * not a copy: PyTorch on the CPU, checked once per engine and device), there is no buffer in
 * between: a new array is made and the values are written straight into its memory, one copy in
 * all instead of two (the buffer, then the engine's copy of it).
 */
final class Staging {
    /** The largest buffer kept per thread; larger arrays are filled in chunks of this size. */
    static final int CHUNK_BYTES = 4 << 20;

    private static final ThreadLocal<ByteBuffer> BUFFER = new ThreadLocal<>();
    /** Per engine and device: whether {@link #lendsMemory} holds. */
    private static final java.util.Map<String, Boolean> LENDS = new java.util.concurrent.ConcurrentHashMap<>();

    private Staging() {}

    /**
     * The samples at {@code idx} of {@code data} ({@code per} values each, one after another) as a
     * float32 array of {@code shape} in {@code manager}.
     */
    static NDArray create(NDManager manager, float[] data, int per, int[] idx, Shape shape) {
        if (shape.size() > 0 && lendsMemory(manager)) {
            NDArray out = manager.create(shape, DataType.FLOAT32);
            FloatBuffer f = out.toByteBuffer(true).order(ByteOrder.nativeOrder()).asFloatBuffer();
            for (int i = 0; i < idx.length; i++) {
                f.put(data, idx[i] * per, per);
            }
            return out;
        }
        int perChunk = Math.max(1, CHUNK_BYTES / 4 / Math.max(1, per));
        if (idx.length <= perChunk) {
            return staged(manager, shape, fill(data, per, idx, 0, idx.length));
        }
        NDArray out = manager.create(shape, DataType.FLOAT32);
        for (int from = 0; from < idx.length; from += perChunk) {
            int to = Math.min(idx.length, from + perChunk);
            Shape part = new Shape(to - from).addAll(shape.slice(1));
            // set copies the chunk's values into the slice at once, so the chunk may be an
            // array in the buffer's own memory: it is gone before the buffer is filled again
            try (NDArray chunk = manager.create(fill(data, per, idx, from, to), part, DataType.FLOAT32)) {
                out.set(new NDIndex().addSliceDim(from, to), chunk);
            }
        }
        return out;
    }

    /** {@code values}, laid out already, as a float32 array of {@code shape} in {@code manager}. */
    static NDArray create(NDManager manager, float[] values, Shape shape) {
        long n = shape.size();
        int per = (int) (shape.dimension() == 0 || shape.get(0) == 0 ? n : n / shape.get(0));
        int rows = (int) (shape.dimension() == 0 ? 1 : shape.get(0));
        if (shape.dimension() == 0) {
            return staged(manager, shape, fill(values, (int) n, new int[] {0}, 0, 1));
        }
        int[] all = new int[rows];
        for (int i = 0; i < rows; i++) {
            all[i] = i;
        }
        return create(manager, values, per, all, shape);
    }

    /**
     * Whether arrays of {@code manager}'s engine and device give their own memory to write
     * through {@code toByteBuffer(true)}: a one-value array is written that way and read back.
     */
    static boolean lendsMemory(NDManager manager) {
        String key = manager.getEngine().getEngineName() + " " + manager.getDevice();
        return LENDS.computeIfAbsent(key, k -> {
            try (NDManager m = manager.newSubManager()) {
                NDArray a = m.zeros(new Shape(1), DataType.FLOAT32);
                a.toByteBuffer(true).order(ByteOrder.nativeOrder()).putFloat(0, 2f);
                return a.toFloatArray()[0] == 2f;
            } catch (RuntimeException | Error e) {
                return false; // an engine that refuses: the buffer's way, as before
            }
        });
    }

    /** Rows {@code idx[from..to)} of {@code data} in the thread's buffer, ready to read. */
    private static ByteBuffer fill(float[] data, int per, int[] idx, int from, int to) {
        int bytes = (to - from) * per * 4;
        ByteBuffer b = BUFFER.get();
        if (b == null || b.capacity() < bytes) {
            b = ByteBuffer.allocateDirect(Math.max(bytes, 1 << 16)).order(ByteOrder.nativeOrder());
            if (b.capacity() <= CHUNK_BYTES) {
                BUFFER.set(b);
            }
        }
        b.clear();
        FloatBuffer f = b.asFloatBuffer();
        for (int i = from; i < to; i++) {
            f.put(data, idx[i] * per, per);
        }
        b.limit(bytes);
        return b;
    }

    /** The buffer's values as an array of the engine's own, never one that uses the buffer. */
    private static NDArray staged(NDManager manager, Shape shape, ByteBuffer values) {
        return Constants.inEngineMemory(manager.create(values, shape, DataType.FLOAT32));
    }
}
