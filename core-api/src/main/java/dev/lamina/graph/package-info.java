/**
 * Turns a graph of layer applications (the {@code Input}, {@code Node} and {@code Layer} of
 * {@code spec}) into one DJL block that runs the nodes in order.
 */
package dev.lamina.graph;
