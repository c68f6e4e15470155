package dev.lamina.zoo.weights;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The weights of a Keras model as its file holds them: its layers that have weights, each with
 * its arrays in Keras's order and layout (a dense kernel (in, out), a convolution's kernel
 * (kh, kw, in, out), ...), float32, row-major.
 *
 * @param file the file read (for messages)
 * @param format which kind of file it was
 * @param layers the layers with at least one array; in the model's order when {@code ordered}
 * @param ordered whether the file records the model's order of layers (Keras 2 and TF.js do;
 *     Keras 3's {@code .weights.h5} does not: h5py keeps its groups sorted by name)
 */
public record KerasWeights(Path file, Format format, List<LayerWeights> layers, boolean ordered) {
    /** The kinds of file read. */
    public enum Format {
        /** Keras 2's HDF5 ({@code model.save("x.h5")} or {@code save_weights("x.h5")}). */
        KERAS2_H5("Keras 2 HDF5"),
        /** Keras 3's {@code .weights.h5}. */
        KERAS3_H5("Keras 3 .weights.h5"),
        /** A TF.js layers model ({@code model.json} and its weight shards). */
        TFJS("TF.js layers model");

        private final String words;

        Format(String words) {
            this.words = words;
        }

        @Override
        public String toString() {
            return words;
        }
    }

    /** One Keras layer's arrays, in the order Keras made them. */
    public record LayerWeights(String name, List<Array> arrays) {
        public LayerWeights {
            arrays = List.copyOf(arrays);
        }

        /** The arrays' short names ({@code kernel}, {@code bias}, ...), for messages. */
        public List<String> arrayNames() {
            List<String> out = new ArrayList<>();
            arrays.forEach(a -> out.add(a.name()));
            return out;
        }
    }

    /**
     * One array: its short name ({@code kernel}; Keras 3 files have only positions, so
     * {@code vars/0}), its full name in the file, its shape and its values, row-major.
     */
    public record Array(String name, String path, long[] shape, float[] data) {
        /** The shape as Keras prints it: {@code (3, 3, 2, 16)}. */
        public String shapeText() {
            return KerasWeights.shapeText(shape);
        }
    }

    public KerasWeights {
        layers = List.copyOf(layers);
    }

    /** The layer called {@code name}, or null. */
    public LayerWeights layer(String name) {
        for (LayerWeights l : layers) {
            if (l.name().equals(name)) {
                return l;
            }
        }
        return null;
    }

    /** The layers' names, in order. */
    public List<String> layerNames() {
        List<String> out = new ArrayList<>();
        layers.forEach(l -> out.add(l.name()));
        return out;
    }

    /** A shape as Keras prints it: {@code (3, 3, 2, 16)}, {@code (4,)}. */
    static String shapeText(long[] shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return sb.append(shape.length == 1 ? ",)" : ")").toString();
    }
}
