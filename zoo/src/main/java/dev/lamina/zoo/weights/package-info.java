/**
 * Weights made elsewhere: Keras's HDF5 weight files (Keras 2 and Keras 3) and TF.js layers models
 * read in pure Java ({@link dev.lamina.zoo.weights.KerasFiles}), put into a Lamina model built
 * with matching layers ({@link dev.lamina.zoo.weights.KerasImport}), and the files fetched and
 * checked ({@link dev.lamina.zoo.weights.WeightSources}).
 */
package dev.lamina.zoo.weights;
