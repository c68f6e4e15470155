package dev.lamina.data;

import dev.lamina.spec.Names;
import java.util.ArrayList;
import java.util.List;

/**
 * Some classes of a labelled image set, and at most so many images of each: {@code
 * fashion-mnist:train?classes=5,6,7,8,9&per_class=100} keeps the first 100 images of each of
 * those classes, in the file's order, and numbers the classes anew from 0 in the order given
 * (5 becomes 0, ..., 9 becomes 4), as a model of five outputs needs them. For few-label and
 * transfer-learning experiments.
 */
record ClassSubset(List<Integer> classes, int perClass) {
    static final List<String> OPTIONS = List.of("classes", "per_class");

    static ClassSubset parse(String source, String options) {
        List<Integer> classes = null;
        int perClass = Integer.MAX_VALUE;
        for (String kv : options.split("&")) {
            String[] p = kv.split("=", 2);
            if (p.length != 2 || !OPTIONS.contains(p[0])) {
                throw DataSources.error("data source '" + source + "': unknown option '"
                        + kv + "'; it takes classes=A,B,... and per_class=N."
                        + Names.didYouMean(p[0], OPTIONS));
            }
            try {
                if (p[0].equals("classes")) {
                    classes = new ArrayList<>();
                    for (String c : p[1].split(",")) {
                        int k = Integer.parseInt(c.strip());
                        if (k < 0 || classes.contains(k)) {
                            throw new NumberFormatException();
                        }
                        classes.add(k);
                    }
                } else {
                    perClass = Integer.parseInt(p[1]);
                    if (perClass <= 0) {
                        throw new NumberFormatException();
                    }
                }
            } catch (NumberFormatException e) {
                throw DataSources.error("data source '" + source + "': " + p[0]
                        + " must be " + (p[0].equals("classes")
                                ? "distinct class ids from 0, such as classes=5,6,7"
                                : "a positive number, such as per_class=100")
                        + ", received '" + p[1] + "'");
            }
        }
        return new ClassSubset(classes, perClass);
    }

    /** The subset of {@code d} (one input, integer labels). */
    Dataset apply(Dataset d) {
        Tensor x = d.inputs().get(0);
        Tensor y = d.labels().get(0);
        int sample = x.sampleSize();
        List<Integer> keep = new ArrayList<>();
        int[] taken = new int[256];
        for (int i = 0; i < y.size(); i++) {
            int label = (int) y.data()[i];
            int k = classes == null ? label : classes.indexOf(label);
            if (k >= 0 && taken[Math.min(k, 255)]++ < perClass) {
                keep.add(i);
            }
        }
        if (keep.isEmpty()) {
            throw DataSources.error("data set " + d.name() + " has no image of the"
                    + " classes " + classes);
        }
        float[] xs = new float[keep.size() * sample];
        float[] ys = new float[keep.size()];
        for (int j = 0; j < keep.size(); j++) {
            int i = keep.get(j);
            System.arraycopy(x.data(), i * sample, xs, j * sample, sample);
            int label = (int) y.data()[i];
            ys[j] = classes == null ? label : classes.indexOf(label);
        }
        return new Dataset(d.name(), List.of(new Tensor(xs, x.sampleShape())),
                List.of(new Tensor(ys, y.sampleShape())));
    }
}
