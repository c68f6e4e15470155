/** Weight penalties (L1, L2) added to the training loss, as Keras's regularizers. */
package dev.lamina.regularizers;
