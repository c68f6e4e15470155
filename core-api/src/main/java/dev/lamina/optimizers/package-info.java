/**
 * Optimizers with Keras's names and defaults; each update rule is Lamina's own, written with
 * NDArray operations, so it gives the same numbers on every engine.
 */
package dev.lamina.optimizers;
