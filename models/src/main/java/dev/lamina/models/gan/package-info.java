/**
 * Generative adversarial networks: a generator trained against a discriminator on the shared
 * training loop ({@link dev.lamina.models.gan.Gan}, {@link dev.lamina.models.gan.AdversarialStep}),
 * run files with a {@code gan:} section ({@link dev.lamina.models.gan.GanRun}) and grids of
 * samples people can look at ({@link dev.lamina.models.gan.SampleGrid}).
 */
package dev.lamina.models.gan;
