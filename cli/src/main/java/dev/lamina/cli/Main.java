package dev.lamina.cli;

import ai.djl.engine.Engine;
import dev.lamina.Lamina;
import dev.lamina.engine.Threads;
import dev.lamina.io.InvalidModelException;
import dev.lamina.spec.ConfigException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code lamina} command: train, evaluate, predict, summary, sample, bench, plot, zoo, search. */
@Command(name = "lamina", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Keras-style deep learning on DJL: train from a YAML file, evaluate, predict.",
        subcommands = {TrainCommand.class, EvaluateCommand.class, PredictCommand.class,
            SummaryCommand.class, SampleCommand.class, BenchCommand.class, PlotCommand.class,
            ZooCommand.class, SearchCommand.class,
            CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Exit status for a bad file or argument. */
    public static final int BAD_INPUT = 2;

    /** Exit status when training stopped because the loss became NaN or infinite. */
    public static final int NON_FINITE_LOSS = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** {@code --threads N}, for every subcommand: threads per operation (default every core). */
    @CommandLine.Option(names = "--threads", paramLabel = "N", scope = CommandLine.ScopeType.INHERIT,
            description = "threads per operation (default: every core, or LAMINA_THREADS)")
    void threads(int n) {
        if (n < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--threads must be at least 1, received " + n);
        }
        System.setProperty(Threads.PROPERTY, Integer.toString(n));
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given streams and returns the exit status. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, badArgs) -> {
            // one line for a wrong argument, and where to look, instead of the whole usage
            CommandLine bad = ex.getCommandLine();
            bad.getErr().println("error: " + ex.getMessage());
            bad.getErr().println("see '" + bad.getCommandSpec().qualifiedName() + " --help'");
            bad.getErr().flush();
            return BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, line, parse) -> {
            Throwable e = ex;
            if (e instanceof UncheckedIOException && e.getCause() != null) {
                e = e.getCause();
            }
            int status = isBadInput(e) ? BAD_INPUT : 1;
            line.getErr().println("error: " + message(e));
            if (System.getenv("LAMINA_DEBUG") != null) {
                e.printStackTrace(line.getErr());
            } else if (status != BAD_INPUT) {
                line.getErr().println("(set LAMINA_DEBUG=1 to see where this happened)");
            }
            line.getErr().flush();
            return status;
        });
        try {
            return cl.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    static boolean isBadInput(Throwable e) {
        return e instanceof ConfigException || e instanceof InvalidModelException
                || e instanceof NoSuchFileException || e instanceof IllegalArgumentException
                || e instanceof AccessDeniedException;
    }

    static String message(Throwable e) {
        if (e instanceof NoSuchFileException n) {
            return n.getFile() + ": " + (n.getReason() == null ? "no such file" : n.getReason());
        }
        String m = e.getMessage();
        if (e instanceof ConfigException || e instanceof InvalidModelException
                || e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
            return m;
        }
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    /** Prints Lamina's and DJL's versions. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"lamina " + Lamina.VERSION + " (DJL " + Engine.getDjlVersion()
                + ")"};
        }
    }
}
