/** Metrics reported during training and evaluation: accuracy, top-k accuracy, mean errors, and the confusion metrics (precision, recall, auc) counted over the whole epoch. */
package dev.lamina.metrics;
