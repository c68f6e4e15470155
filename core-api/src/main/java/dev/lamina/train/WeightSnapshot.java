package dev.lamina.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A copy of every weight of a model (trainable or not, such as batch normalization's running
 * statistics), as Keras's {@code model.get_weights()}, kept in native memory of its own that
 * {@link #close} frees; {@link #restoreTo} writes it back, Keras's {@code set_weights}.
 */
public final class WeightSnapshot implements AutoCloseable {
    private final NDManager manager;
    private final List<NDArray> copies = new ArrayList<>();

    private WeightSnapshot(NDManager manager) {
        this.manager = manager;
    }

    /** Copies {@code model}'s weights now, on the model's device. */
    public static WeightSnapshot of(Trainable model) {
        WeightSnapshot s = new WeightSnapshot(model.djlModel().getNDManager().newSubManager());
        try {
            for (Pair<String, Parameter> p : model.block().getParameters()) {
                NDArray copy = p.getValue().getArray().duplicate();
                copy.attach(s.manager);
                s.copies.add(copy);
            }
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    /** Writes the copied weights back into {@code model} (the one they were taken from). */
    public void restoreTo(Trainable model) {
        int i = 0;
        for (Pair<String, Parameter> p : model.block().getParameters()) {
            copies.get(i++).copyTo(p.getValue().getArray());
        }
    }

    /** The copies as named arrays copied into {@code into}, for a checkpoint. */
    Map<String, NDArray> toArrays(NDManager into) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (int i = 0; i < copies.size(); i++) {
            NDArray c = into.create(copies.get(i).getShape(), copies.get(i).getDataType());
            copies.get(i).copyTo(c);
            out.put(String.format("%04d", i), c);
        }
        return out;
    }

    /** A snapshot of {@code model}'s shape holding the arrays {@link #toArrays} gave. */
    static WeightSnapshot fromArrays(Trainable model, Map<String, NDArray> arrays) {
        WeightSnapshot s = new WeightSnapshot(model.djlModel().getNDManager().newSubManager());
        try {
            for (int i = 0; i < arrays.size(); i++) {
                NDArray a = arrays.get(String.format("%04d", i));
                NDArray c = s.manager.create(a.getShape(), a.getDataType());
                a.copyTo(c);
                s.copies.add(c);
            }
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    /** The copies, for tests: freed with the snapshot. */
    List<NDArray> arrays() {
        return List.copyOf(copies);
    }

    /** The number of weight arrays copied. */
    public int size() {
        return copies.size();
    }

    /** Frees the copies. */
    @Override
    public void close() {
        manager.close();
    }
}
