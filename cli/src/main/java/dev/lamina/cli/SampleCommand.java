package dev.lamina.cli;

import dev.lamina.data.Tensor;
import dev.lamina.engine.Backend;
import dev.lamina.models.gan.Gan;
import dev.lamina.models.gan.SampleGrid;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lamina sample MODEL_DIR --n 64 --out grid.png}: new samples from a trained GAN. */
@Command(name = "sample", mixinStandardHelpOptions = true,
        description = {"Draw new samples from a GAN that lamina train saved, as a PNG grid.",
            "MODEL_DIR is the run's model/ directory (or the run directory itself)."})
final class SampleCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MODEL_DIR", description = "the saved GAN (runs/NAME/model)")
    Path dir;

    @Option(names = "--n", paramLabel = "N", description = "number of samples (default 64)")
    int n = 64;

    @Option(names = "--out", paramLabel = "PNG", description = "the grid to write (default samples.png)")
    Path out = Path.of("samples.png");

    @Option(names = "--seed", paramLabel = "S", description = "seed of the noise (default 0)")
    long seed;

    @Option(names = "--engine", paramLabel = "pytorch|mxnet", description = "engine (default pytorch)")
    String engine = "pytorch";

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (n <= 0 || n > 4096) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--n must be between 1 and 4096, received " + n);
        }
        Path model = Files.isRegularFile(dir.resolve("model").resolve(Gan.JSON))
                ? dir.resolve("model") : dir;
        try (Gan gan = Gan.load(model, Backend.of(engine))) {
            Tensor samples = gan.sample(n, seed);
            double[] range = gan.dataRange();
            SampleGrid.write(samples, range[0], range[1], out);
            spec.commandLine().getOut().println("wrote " + n + " samples of "
                    + samples.sampleShape() + " to " + out);
        }
        return 0;
    }
}
