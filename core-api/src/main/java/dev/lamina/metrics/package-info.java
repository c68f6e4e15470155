/** Metrics reported during training and evaluation: accuracy, top-k accuracy, mean errors. */
package dev.lamina.metrics;
