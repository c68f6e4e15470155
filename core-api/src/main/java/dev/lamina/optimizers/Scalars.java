package dev.lamina.optimizers;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import dev.lamina.engine.Constants;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The numbers an update multiplies and adds by (the learning rate, Adam's 1 − β and ε), as
 * engine arrays made once per value and kept, instead of once per operation.
 *
 * <p>On PyTorch, DJL's {@code g.muli(0.05f)} makes a 0-dimensional array from a new direct
 * buffer, uses it and frees it: SGD on the bench's 6-weight MLP made 6 buffers a step, and the
 * allocations took about 2% of its step. Here the operation gets an array of the same value and
 * type (float32, as DJL makes it), so PyTorch computes the same numbers. On MXNet, whose
 * operations take the number itself, DJL's own calls are used. A value that changes every step
 * (Adam's bias-corrected rate) is made once per step, not once per weight; the least recently
 * used of more than {@value #KEPT} values is freed.
 */
final class Scalars implements AutoCloseable {
    static final int KEPT = 32;

    private record Key(Device device, int bits) {}

    /** Per device, the manager the kept arrays live in (the weights' may be a batch's). */
    private final Map<Device, NDManager> managers = new HashMap<>();
    private final Map<Key, NDArray> kept = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, NDArray> eldest) {
            if (size() > KEPT) {
                eldest.getValue().close();
                return true;
            }
            return false;
        }
    };

    /** {@code a · v}, in {@code a}'s memory. */
    NDArray muli(NDArray a, float v) {
        NDArray c = of(a, v);
        return c == null ? a.muli(v) : a.muli(c);
    }

    /** {@code a · v}, a new array. */
    NDArray mul(NDArray a, float v) {
        NDArray c = of(a, v);
        return c == null ? a.mul(v) : a.mul(c);
    }

    /** {@code a + v}, in {@code a}'s memory. */
    NDArray addi(NDArray a, float v) {
        NDArray c = of(a, v);
        return c == null ? a.addi(v) : a.addi(c);
    }

    /** {@code v} as a kept array beside {@code like}, or null where DJL's own call is used. */
    private NDArray of(NDArray like, float v) {
        if (!"PyTorch".equals(like.getManager().getEngine().getEngineName())) {
            return null;
        }
        Key key = new Key(like.getDevice(), Float.floatToIntBits(v));
        NDArray c = kept.get(key);
        if (c == null) {
            NDManager home = managers.computeIfAbsent(like.getDevice(),
                    d -> like.getManager().getEngine().newBaseManager(d));
            c = Constants.inEngineMemory(home.create(v));
            // kept across steps: not freed with the training loop's batch
            NDScope.unregister(c);
            kept.put(key, c);
        }
        return c;
    }

    /** Frees the kept arrays. */
    @Override
    public void close() {
        kept.clear();
        managers.values().forEach(NDManager::close);
        managers.clear();
    }
}
