/** Container layers of lamina-models: residual blocks and Inception modules. */
package dev.lamina.models.layers;
