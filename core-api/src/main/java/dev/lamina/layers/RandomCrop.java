package dev.lamina.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.lamina.spec.BuildContext;
import dev.lamina.spec.LayerSpec;
import dev.lamina.spec.Spec;
import dev.lamina.spec.SpecException;
import dev.lamina.spec.SpecMap;
import java.util.Map;

/**
 * Keras's {@code RandomCrop}: images (channels, H, W) become (channels, height, width).
 *
 * <p>In training, when the input is larger than the target on both axes (H > height and W >
 * width), a window of the target size is cut at a random offset: top = ⌊uniform(0, H − height +
 * 1)⌋, left = ⌊uniform(0, W − width + 1)⌋, one offset for the whole batch, as Keras ("the layer
 * will crop all the images in the same batch to the same cropping location").
 *
 * <p>Otherwise, and always in inference, Keras 3's documented rule: the largest centred window
 * with the target's aspect ratio (crop height = min(H, ⌊W·height/width⌋), crop width = min(W,
 * ⌊H·width/height⌋), at top = ⌊(H − crop height)/2⌋, left = ⌊(W − crop width)/2⌋) is resized
 * bilinearly to (height, width) (half-pixel centres, no antialiasing). So a 28×28 input cropped to
 * 24×24 trains on random 24×24 windows and predicts on the whole image shrunk to 24×24.
 *
 * <p>What differs: Keras 3's code since 3.8 returns the input unchanged in inference (a shape its
 * own {@code compute_output_shape} does not give, which a model of fixed shapes cannot take), and
 * before that sliced a target-size window from the corner of the aspect-ratio window; Lamina does
 * what the Keras 3 documentation says. The offsets come from a Java generator seeded by the model's
 * seed (the same on both engines); Keras's {@code seed} and {@code data_format} are not taken.
 */
public record RandomCrop(int height, int width) implements LayerSpec {
    public static final String TYPE = "random_crop";

    public RandomCrop {
        if (height <= 0) {
            throw new SpecException(TYPE, "height",
                    "expected a positive integer, received height=" + height);
        }
        if (width <= 0) {
            throw new SpecException(TYPE, "width",
                    "expected a positive integer, received width=" + width);
        }
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Shape outputShape(Shape in) {
        Augment.requireImage(in);
        return new Shape(in.get(0), height, width);
    }

    @Override
    public Block toBlock(BuildContext ctx, Shape input) {
        outputShape(input);
        return new AugmentBlock(ctx, this::train, (x, d) -> centre(x),
                s -> new Shape(s.get(0), s.get(1), height, width));
    }

    private NDArray train(NDArray x, AugmentBlock d) {
        int h = (int) x.getShape().get(2);
        int w = (int) x.getShape().get(3);
        if (h <= height || w <= width) {
            return centre(x);
        }
        int top = (int) Math.floor(d.uniform(0, h - height + 1));
        int left = (int) Math.floor(d.uniform(0, w - width + 1));
        return Augment.window(x, top, left, height, width);
    }

    /** The largest centred window of the target's aspect ratio, resized to the target. */
    private NDArray centre(NDArray x) {
        int h = (int) x.getShape().get(2);
        int w = (int) x.getShape().get(3);
        int ch = Math.max(Math.min(h, (int) ((double) w * height / width)), 1);
        int cw = Math.max(Math.min(w, (int) ((double) h * width / height)), 1);
        int top = (h - ch) / 2;
        int left = (w - cw) / 2;
        return Augment.resizeWindow(x, top, left, ch, cw, height, width);
    }

    @Override
    public Map<String, Object> config() {
        return Spec.ordered("height", height, "width", width);
    }

    /** Reads {@code height} and {@code width} (both required, as Keras). */
    public static RandomCrop fromMap(SpecMap m) {
        return new RandomCrop(m.requireInt("height"), m.requireInt("width"));
    }
}
