/**
 * Files: atomic writes with checksums ({@link dev.lamina.io.AtomicFiles}) and the error for a
 * damaged or foreign model file ({@link dev.lamina.io.InvalidModelException}).
 */
package dev.lamina.io;
