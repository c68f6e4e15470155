/**
 * Layers with an unsupervised pretraining phase: restricted Boltzmann machines trained by
 * contrastive divergence, deep belief networks (stacks of them, pretrained greedily, then
 * unrolled and fine-tuned), and stacked (denoising) autoencoders.
 */
package dev.lamina.models.pretrain;
