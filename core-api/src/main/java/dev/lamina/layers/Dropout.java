package dev.lamina.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.lamina.engine.Constants;
import dev.lamina.spec.BuildContext;
import dev.lamina.spec.Spec;
import dev.lamina.spec.SpecException;
import dev.lamina.spec.SpecMap;
import java.util.Map;

/**
 * Inverted dropout (Srivastava et al., 2014): in training each value is zeroed with probability
 * {@code rate} and the survivors are scaled by 1 / (1 − rate), so inference is the identity.
 *
 * <p>Input and output: any shape. The mask is {@code uniform(0, 1) < 1 − rate}, drawn from the
 * engine's generator (neither engine has a usable Bernoulli); its stream depends on the engine.
 */
public record Dropout(double rate) implements ElementwiseLayer {
    public static final String TYPE = "dropout";

    public Dropout {
        if (!(rate >= 0 && rate < 1)) {
            throw new SpecException(TYPE, "rate",
                    "expected a fraction in [0, 1), received rate=" + rate);
        }
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Block toBlock(BuildContext ctx, Shape input) {
        return new FnBlock((l, training) -> {
            NDArray x = l.singletonOrThrow();
            if (!training || rate == 0) {
                return new NDList(x);
            }
            return new NDList(drop(x, x.getShape(), rate));
        }, s -> s);
    }

    /**
     * {@code x} with inverted dropout at {@code rate}, one draw per element of {@code maskShape}
     * (x's shape, or one that broadcasts to it: the same mask at every time step).
     */
    public static NDArray drop(NDArray x, Shape maskShape, double rate) {
        float keep = (float) (1 - rate);
        NDArray mask = x.getManager().randomUniform(0f, 1f, maskShape, x.getDataType())
                .lt(keep).toType(x.getDataType(), false);
        return Constants.over(x.mul(mask), keep);
    }

    @Override
    public Map<String, Object> config() {
        return Spec.ordered("rate", rate);
    }

    /** Reads {@code rate} (required, as in Keras). */
    public static Dropout fromMap(SpecMap m) {
        return new Dropout(m.requireDouble("rate"));
    }
}
