package dev.lamina.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * Samples held in Java memory: {@code size} samples of {@code sampleShape} each, row-major in one
 * float array. Labels that are class ids are stored as floats and handed to losses as such.
 */
public record Tensor(float[] data, Shape sampleShape) {
    public Tensor {
        long per = sampleShape.size();
        if (per <= 0 || data.length % per != 0) {
            throw new IllegalArgumentException("data of length " + data.length
                    + " is not a whole number of samples of shape " + sampleShape);
        }
    }

    /** Class ids (or any scalars), one per sample. */
    public static Tensor scalars(float[] values) {
        return new Tensor(values, new Shape());
    }

    /** Rows of {@code width} values each. */
    public static Tensor rows(float[][] rows) {
        int w = rows.length == 0 ? 1 : rows[0].length;
        float[] out = new float[rows.length * w];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != w) {
                throw new IllegalArgumentException("row " + i + " has " + rows[i].length
                        + " values, row 0 has " + w);
            }
            System.arraycopy(rows[i], 0, out, i * w, w);
        }
        return new Tensor(out, new Shape(w));
    }

    /** The number of samples. */
    public int size() {
        long per = Math.max(1, sampleShape.size());
        return (int) (data.length / per);
    }

    /** Values per sample. */
    public int sampleSize() {
        return (int) Math.max(1, sampleShape.size());
    }

    /** Samples {@code from} (inclusive) to {@code to} (exclusive), copied. */
    public Tensor slice(int from, int to) {
        int per = sampleSize();
        return new Tensor(Arrays.copyOfRange(data, from * per, to * per), sampleShape);
    }

    /** The samples at {@code indices}, as one (n, sampleShape...) array in {@code manager}. */
    public NDArray gather(NDManager manager, int[] indices) {
        return Staging.create(manager, data, sampleSize(), indices, batchShape(indices.length));
    }

    /** The values of the samples at {@code indices}, one after another. */
    public float[] values(int[] indices) {
        int per = sampleSize();
        float[] out = new float[indices.length * per];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(data, indices[i] * per, out, i * per, per);
        }
        return out;
    }

    /** The shape of a batch of {@code n} samples: (n, sampleShape...). */
    public Shape batchShape(long n) {
        return new Shape(n).addAll(sampleShape);
    }

    /** The values of sample {@code i}. */
    public float[] sample(int i) {
        int per = sampleSize();
        return Arrays.copyOfRange(data, i * per, (i + 1) * per);
    }

    /** Index of the largest value of sample {@code i} (the predicted class of a row of scores). */
    public int argMax(int i) {
        int per = sampleSize();
        int best = 0;
        for (int j = 1; j < per; j++) {
            if (data[i * per + j] > data[i * per + best]) {
                best = j;
            }
        }
        return best;
    }
}
