/**
 * Losses with Keras's names and formulas, written with NDArray operations so both engines agree.
 */
package dev.lamina.losses;
