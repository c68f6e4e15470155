/**
 * Hyper-parameter search over run files: a search file ({@link dev.lamina.run.search.SearchConfig})
 * names a base run file, a space of values bound to paths in it, a strategy (grid or random) and
 * an objective; {@link dev.lamina.run.search.Search} runs each trial as a normal run directory
 * (in a process of its own, with its share of the cores) and writes {@code trials.csv} and
 * {@code best.yaml} as trials end. Executors other than the local one (Apache Spark, in
 * {@code lamina-cli}) plug in through {@link dev.lamina.run.search.TrialExecutorProvider}.
 */
package dev.lamina.run.search;
