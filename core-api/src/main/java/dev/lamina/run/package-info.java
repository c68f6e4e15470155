/**
 * Run files: a YAML file that names the data, the model, its compile and fit settings, read and
 * checked by {@link dev.lamina.run.RunConfig} and run by {@link dev.lamina.run.Run}.
 */
package dev.lamina.run;
