package dev.lamina.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.lamina.spec.BuildContext;
import dev.lamina.spec.Spec;
import dev.lamina.spec.SpecMap;
import java.util.List;
import java.util.Map;

/**
 * Keras's {@code RandomFlip}: in training each image is flipped with probability ½ (one draw u per
 * image, flipped when u ≤ 0.5): {@code horizontal} reverses the width axis, {@code vertical} the
 * height axis, and {@code horizontal_and_vertical} (Keras's default) both at once on the same
 * draw, as Keras 3 does (not two independent draws). Inference is the identity.
 *
 * <p>Input and output: images (channels, height, width). The draws come from a Java generator
 * seeded by the model's seed, so they are the same on both engines (Keras's come from its
 * backend's); Keras's {@code seed} and {@code data_format} settings are not taken (the model's seed
 * decides, and images are channels first).
 */
public record RandomFlip(String mode) implements ImageAugmentation {
    public static final String TYPE = "random_flip";
    public static final List<String> MODES =
            List.of("horizontal_and_vertical", "horizontal", "vertical");

    public RandomFlip {
        Augment.choice(TYPE, "mode", mode, MODES);
    }

    /** Keras's default: {@code horizontal_and_vertical}. */
    public RandomFlip() {
        this("horizontal_and_vertical");
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Block toBlock(BuildContext ctx, Shape input) {
        outputShape(input);
        boolean horizontal = !mode.equals("vertical");
        boolean vertical = !mode.equals("horizontal");
        return new AugmentBlock(ctx, (x, d) -> flip(x, d, horizontal, vertical));
    }

    private static NDArray flip(NDArray x, AugmentBlock d, boolean horizontal, boolean vertical) {
        Shape s = x.getShape();
        int b = (int) s.get(0);
        int ch = (int) s.get(1);
        int h = (int) s.get(2);
        int w = (int) s.get(3);
        long[] idx = new long[b * ch * h * w];
        float[] ones = new float[idx.length];
        java.util.Arrays.fill(ones, 1f);
        for (int i = 0; i < b; i++) {
            boolean f = d.uniform(0, 1) <= 0.5;
            boolean fx = f && horizontal;
            boolean fy = f && vertical;
            for (int c = 0; c < ch; c++) {
                int base = (i * ch + c) * h * w;
                for (int y = 0; y < h; y++) {
                    for (int xo = 0; xo < w; xo++) {
                        idx[base + y * w + xo] =
                                base + (fy ? h - 1 - y : y) * w + (fx ? w - 1 - xo : xo);
                    }
                }
            }
        }
        return Augment.gather(x, 1, idx, ones, null, s);
    }

    @Override
    public Map<String, Object> config() {
        return Spec.ordered("mode", mode);
    }

    /** Reads {@code mode} (default {@code horizontal_and_vertical}, as Keras). */
    public static RandomFlip fromMap(SpecMap m) {
        return new RandomFlip(m.getString("mode", "horizontal_and_vertical"));
    }
}
