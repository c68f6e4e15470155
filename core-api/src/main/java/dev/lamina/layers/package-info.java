/**
 * The core layer types, one file each ({@code dense}, {@code conv2d}, {@code lstm}, ...): each a
 * {@link dev.lamina.spec.LayerSpec} record that checks its settings, infers its output shape and
 * builds its DJL block, with the same numbers on PyTorch and MXNet.
 */
package dev.lamina.layers;
