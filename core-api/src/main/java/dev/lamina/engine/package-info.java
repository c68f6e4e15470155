/**
 * The engines: which DJL engine and device a model runs on ({@link dev.lamina.engine.Backend}),
 * thread counts, and the kernel check that finds native kernels computing wrong numbers on this
 * CPU and works round them ({@link dev.lamina.engine.KernelCheck}).
 */
package dev.lamina.engine;
