/** The {@code lamina-models} module: the layer types DJL lacks, registered for YAML by name. */
package dev.lamina.models;
