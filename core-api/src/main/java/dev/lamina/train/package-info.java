/**
 * Training: the one loop every procedure shares ({@link dev.lamina.train.TrainingLoop}) and the
 * steps procedures supply ({@link dev.lamina.train.Supervised} for backpropagation), evaluation
 * and prediction, compile settings, callbacks and the {@link dev.lamina.train.History}.
 */
package dev.lamina.train;
