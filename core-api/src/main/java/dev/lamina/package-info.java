/**
 * Lamina's models: {@link dev.lamina.Model} (what a model is: its layer specs, its DJL block and
 * weights, its engine, save and load), {@link dev.lamina.Sequential} (a stack of layers), {@link
 * dev.lamina.Functional} (a graph of layers), and {@link dev.lamina.ModelFormat}, the one reader
 * of the model format that run files and saved models share. Training lives in {@code train}.
 */
package dev.lamina;
