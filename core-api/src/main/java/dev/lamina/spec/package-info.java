/**
 * What a model is made of: {@link dev.lamina.spec.LayerSpec} (a layer's type and settings), the
 * symbolic graph they form ({@link dev.lamina.spec.Input}, {@link dev.lamina.spec.Node}, {@link
 * dev.lamina.spec.Layer}, a spec applied once or shared), the registry that finds layer types by
 * name, and the configuration nodes that keep each setting's file and line for error messages.
 */
package dev.lamina.spec;
