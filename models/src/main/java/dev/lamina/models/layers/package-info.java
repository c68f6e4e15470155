/**
 * Layers DJL lacks, the same on every engine: residual blocks, Inception modules, highway layers,
 * maxout and local response normalisation.
 */
package dev.lamina.models.layers;
