/**
 * Weight initializers with Keras's names and numbers, drawing from a Java generator so one seed
 * gives the same initial weights on every engine.
 */
package dev.lamina.initializers;
