package dev.lamina.zoo;

import dev.lamina.Model;
import dev.lamina.ModelProvider;
import dev.lamina.spec.Catalog;

/**
 * Registers the zoo's models with the core's {@link dev.lamina.NamedModels}, so a run file can
 * write {@code model: {zoo: vgg11, classes: 10, input: [1, 32, 32]}}.
 */
public final class ZooModels implements ModelProvider {
    @Override
    public void register(Catalog<Model> catalog) {
        for (String name : Zoo.names()) {
            catalog.register(name, m -> Zoo.load(name, ZooOptions.fromMap(m)));
        }
    }
}
