/** Layers DJL lacks, the same on every engine: highway, maxout, local response normalisation. */
package dev.lamina.models.layers;
