/**
 * Data sets: in-memory tensors, IDX (MNIST, Fashion-MNIST), CSV and generated problems, named by
 * source strings such as {@code fashion-mnist-sample:train}, with batching and shuffling.
 */
package dev.lamina.data;
