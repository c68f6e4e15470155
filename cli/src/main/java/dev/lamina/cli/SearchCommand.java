package dev.lamina.cli;

import dev.lamina.run.search.Search;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lamina search SEARCH.yaml --out DIR}: a grid or random search over a run file. */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = {"Search hyper-parameters of a run file: each trial is a run directory",
            "DIR/trial-NNN; DIR/trials.csv and DIR/best.yaml are written as trials end. Run it",
            "again with the same --out to resume a killed search."})
final class SearchCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SEARCH.yaml", description = "the search file")
    Path file;

    @Option(names = "--out", paramLabel = "DIR",
            description = "the search directory (default searches/NAME)")
    Path out;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        var stdout = spec.commandLine().getOut();
        Search search = Search.load(file).log(line -> {
            stdout.println(line);
            stdout.flush();
        });
        if (out != null) {
            search.out(out);
        }
        Search.Result r = search.run();
        Path dir = r.directory();
        stdout.println("trials: " + dir.resolve("trials.csv"));
        if (r.best() == null) {
            spec.commandLine().getErr().println("error: no trial finished with "
                    + search.config().objective().metric() + "; see " + dir.resolve("trials.csv"));
            return 1;
        }
        stdout.printf(Locale.ROOT, "best: trial %d, %s %.6f%s: %s%n", r.best().number(),
                search.config().objective().metric(), r.bestResult().metric(),
                r.bestResult().bestEpoch() > 0 ? " (epoch " + r.bestResult().bestEpoch() + ")" : "",
                dir.resolve(Search.BEST));
        return 0;
    }
}
