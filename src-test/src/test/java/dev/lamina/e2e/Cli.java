package dev.lamina.e2e;

import dev.lamina.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the lamina command in-process and keeps what it printed. */
record Cli(int status, String out, String err) {
    static Cli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Cli(status, out.toString(), err.toString());
    }
}
