/**
 * Named architectures (LeNet-5, AlexNet, VGG, ResNet, GoogLeNet), made in one line with {@link
 * dev.lamina.zoo.Zoo#load(String, dev.lamina.zoo.ZooOptions)} or from a run file's {@code model:
 * {zoo: NAME}}.
 */
package dev.lamina.zoo;
