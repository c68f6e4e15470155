/** The {@code lamina} command (picocli): train, evaluate, predict, summary, plot, bench. */
package dev.lamina.cli;
