package dev.lamina.models.pretrain;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.lamina.train.Trainable;
import java.nio.file.Path;
import java.util.List;

/**
 * One layer of a built model as the training loop sees it during that layer's pretraining: the
 * model's DJL model (the root of each batch's memory), the layer's block, its input shape, and
 * the phase's seed. Pretraining keeps no checkpoint, so there is nothing to save.
 */
record LayerTrainable(String name, ai.djl.Model djlModel, Block block, Shape input, long seed)
        implements Trainable {
    @Override
    public Device device() {
        return djlModel.getNDManager().getDevice();
    }

    @Override
    public List<Shape> inputShapes() {
        return List.of(input);
    }

    @Override
    public List<String> outputNames() {
        return List.of(name);
    }

    @Override
    public long nextFitSeed() {
        return seed;
    }

    @Override
    public void save(Path dir) {
        throw new UnsupportedOperationException("pretraining phase '" + name + "' keeps no"
                + " checkpoint: save the model after pretraining instead");
    }
}
