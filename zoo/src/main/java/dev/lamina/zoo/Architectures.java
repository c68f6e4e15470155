package dev.lamina.zoo;

import ai.djl.ndarray.types.Shape;
import dev.lamina.Functional;
import dev.lamina.Model;
import dev.lamina.Sequential;
import dev.lamina.layers.Activation;
import dev.lamina.layers.BatchNorm;
import dev.lamina.layers.Conv2d;
import dev.lamina.layers.Dense;
import dev.lamina.layers.Dropout;
import dev.lamina.layers.Flatten;
import dev.lamina.layers.GlobalAvgPool;
import dev.lamina.layers.MaxPool2d;
import dev.lamina.layers.Merge;
import dev.lamina.layers.ZeroPadding;
import dev.lamina.models.layers.Inception;
import dev.lamina.models.layers.Lrn;
import dev.lamina.spec.Input;
import dev.lamina.spec.Layer;
import dev.lamina.spec.LayerSpec;
import dev.lamina.spec.Node;
import java.util.List;

/**
 * The architectures of the zoo, each made with Lamina's own {@link Sequential} or {@link
 * Functional} API, so a zoo model has a summary, saves, loads and exports its YAML as any other.
 * Inputs are channels first, (channels, height, width); outputs are logits (train with {@code
 * softmax_cross_entropy}; Keras's zoo ends in a softmax instead). Layer names follow Keras's
 * {@code keras.applications} where Keras has the model.
 */
final class Architectures {
    private Architectures() {}

    /**
     * A Sequential with its input and, when the pretrained weights come with one, the
     * preprocessing layer they expect (named {@code preprocess}), as Keras's {@code
     * preprocess_input} folded into the model.
     */
    private static Sequential start(String name, Shape input, LayerSpec pre) {
        Sequential s = new Sequential(name).input(input);
        return pre == null ? s : s.add(PREPROCESS, pre);
    }

    /** The name of a model's preprocessing layer, when its pretrained weights need one. */
    static final String PREPROCESS = "preprocess";

    /** Keras's ResNet50 batch norm epsilon (keras.applications, resnet.py). */
    static final double RESNET50_EPSILON = 1.001e-5;

    private static Conv2d conv(int filters, int kernel, int stride, boolean bias, String act) {
        return new Conv2d(filters, List.of(kernel, kernel), List.of(stride, stride), "same", null,
                new Activation(act), bias, null, null, null, null);
    }

    /**
     * LeNet-5 (LeCun et al. 1998) as Lamina's {@code examples/lenet.yaml}: two 5×5 convolutions
     * (6 and 16 filters, relu; the first {@code same}) each followed by 2×2 max pooling, then dense
     * layers of 120 and 84 (relu) and the classifier. 61,706 parameters at 1×28×28, 10 classes.
     */
    static Model lenet5(String name, int classes, Shape input, LayerSpec pre) {
        return start(name, input, pre)
                .add("conv1", new Conv2d(6, 5, 1, "same", "relu"))
                .add("pool1", new MaxPool2d(2, 2, "valid"))
                .add("conv2", new Conv2d(16, 5, 1, "valid", "relu"))
                .add("pool2", new MaxPool2d(2, 2, "valid"))
                .add("flatten", new Flatten())
                .add("fc1", new Dense(120, "relu"))
                .add("fc2", new Dense(84, "relu"))
                .add("predictions", new Dense(classes));
    }

    /**
     * AlexNet (Krizhevsky, Sutskever and Hinton 2012) in one tower: the paper's widths (96, 256,
     * 384, 384, 256 filters; 11×11 stride 4, 5×5, then 3×3), with ungrouped convolutions (the
     * paper split conv2, conv4 and conv5 across two GPUs), relu, local response normalisation after
     * conv1 and conv2 (the paper's k 2, n 5, α 1e-4, β 0.75; Lamina's {@code lrn} divides alpha by
     * the size, hence alpha 5e-4), 3×3 stride-2 max pooling, and dropout 0.5 after each of the two
     * hidden dense layers (4096, relu). Convolutions pad {@code same}, so a 224×224 input gives the
     * paper's 55→27-sized maps as 56→27 and 6×6×256 = 9216 features. 62,378,344 parameters at
     * 3×224×224, 1000 classes; {@code lrn} false leaves out the normalisation (no parameters).
     */
    static Model alexnet(String name, int classes, Shape input, LayerSpec pre, boolean lrn) {
        Sequential s = start(name, input, pre);
        s.add("conv1", conv(96, 11, 4, true, "relu"));
        if (lrn) {
            s.add("norm1", new Lrn(5, 5e-4, 0.75, 2.0));
        }
        s.add("pool1", new MaxPool2d(3, 2, "valid"));
        s.add("conv2", conv(256, 5, 1, true, "relu"));
        if (lrn) {
            s.add("norm2", new Lrn(5, 5e-4, 0.75, 2.0));
        }
        s.add("pool2", new MaxPool2d(3, 2, "valid"));
        s.add("conv3", conv(384, 3, 1, true, "relu"));
        s.add("conv4", conv(384, 3, 1, true, "relu"));
        s.add("conv5", conv(256, 3, 1, true, "relu"));
        s.add("pool5", new MaxPool2d(3, 2, "valid"));
        s.add("flatten", new Flatten());
        s.add("fc6", new Dense(4096, "relu"));
        s.add("drop6", new Dropout(0.5));
        s.add("fc7", new Dense(4096, "relu"));
        s.add("drop7", new Dropout(0.5));
        s.add("predictions", new Dense(classes));
        return s;
    }

    /** VGG's convolutions per block (Simonyan and Zisserman 2014, Table 1, A, B, D, E). */
    static int[] vggBlocks(int depth) {
        return switch (depth) {
            case 11 -> new int[] {1, 1, 2, 2, 2};
            case 13 -> new int[] {2, 2, 2, 2, 2};
            case 16 -> new int[] {2, 2, 3, 3, 3};
            case 19 -> new int[] {2, 2, 4, 4, 4};
            default -> throw new IllegalArgumentException("VGG has depth 11, 13, 16 or 19, not "
                    + depth);
        };
    }

    /**
     * VGG-11/13/16/19 (Simonyan and Zisserman 2014) as Keras's {@code keras.applications.VGG16}
     * and {@code VGG19} (with the top): five blocks of 3×3 {@code same} convolutions (64, 128,
     * 256, 512, 512 filters, relu, with biases), each ending in 2×2 max pooling, then flatten,
     * dense 4096, dropout 0.5, dense 4096, dropout 0.5 (the paper's; Keras leaves them out, which
     * changes no parameter) and the classifier. With {@code batchNorm}, as torchvision's {@code
     * vgg16_bn}: each convolution (still with its bias) is followed by batch normalisation
     * (torchvision's momentum 0.1, i.e. Keras's 0.9, epsilon 1e-5), then the relu.
     */
    static Model vgg(String name, int depth, boolean batchNorm, int classes, Shape input,
            LayerSpec pre) {
        int[] blocks = vggBlocks(depth);
        int[] widths = {64, 128, 256, 512, 512};
        Sequential s = start(name, input, pre);
        for (int b = 0; b < 5; b++) {
            for (int c = 1; c <= blocks[b]; c++) {
                String at = "block" + (b + 1) + "_conv" + c;
                if (batchNorm) {
                    s.add(at, conv(widths[b], 3, 1, true, "linear"));
                    s.add("block" + (b + 1) + "_bn" + c, new BatchNorm(0.9, 1e-5));
                    s.add("block" + (b + 1) + "_relu" + c, new Activation("relu"));
                } else {
                    s.add(at, conv(widths[b], 3, 1, true, "relu"));
                }
            }
            s.add("block" + (b + 1) + "_pool", new MaxPool2d(2, 2, "valid"));
        }
        s.add("flatten", new Flatten());
        s.add("fc1", new Dense(4096, "relu"));
        s.add("drop1", new Dropout(0.5));
        s.add("fc2", new Dense(4096, "relu"));
        s.add("drop2", new Dropout(0.5));
        s.add("predictions", new Dense(classes));
        return s;
    }

    /** A functional graph under construction, naming its nodes as Keras's ResNet does. */
    private static final class Graph {
        final boolean bias;
        final double momentum;
        final double epsilon;

        Graph(boolean bias, double momentum, double epsilon) {
            this.bias = bias;
            this.momentum = momentum;
            this.epsilon = epsilon;
        }

        Node apply(String name, LayerSpec spec, Node... from) {
            return Layer.of(name, spec).on(name, from);
        }

        /** Convolution, batch norm and (when {@code relu}) a relu, named PREFIX_conv, _bn, _relu. */
        Node convBn(String prefix, Node x, int filters, int kernel, int stride, boolean relu) {
            return convBn(prefix, x, filters, kernel, stride, relu, "same");
        }

        Node convBn(String prefix, Node x, int filters, int kernel, int stride, boolean relu,
                String padding) {
            Node c = apply(prefix + "_conv", new Conv2d(filters, List.of(kernel, kernel),
                    List.of(stride, stride), padding, null, new Activation("linear"), bias, null,
                    null, null, null), x);
            Node n = apply(prefix + "_bn", new BatchNorm(momentum, epsilon), c);
            return relu ? apply(prefix + "_relu", new Activation("relu"), n) : n;
        }
    }

    /**
     * ResNet v1 (He et al. 2015, "Deep Residual Learning for Image Recognition"): a 7×7 stride-2
     * convolution (64) with batch norm and relu, 3×3 stride-2 max pooling, four stages of residual
     * blocks (64, 128, 256, 512 filters; the first block of stages 3–5 has stride 2), global
     * average pooling and the classifier. Each block is {@code relu(shortcut + F(x))}, the shortcut
     * the identity, or a 1×1 strided convolution with batch norm (a projection, option B of the
     * paper) where the shape changes. The blocks are built here in a functional graph with
     * {@code add} merges: the models module's {@code residual} layer projects with a bare 1×1
     * convolution, without the batch norm ResNet has there.
     *
     * <p>ResNet-18 and 34 are torchvision's {@code resnet18} and {@code resnet34}: basic blocks
     * (two 3×3 convolutions), [2, 2, 2, 2] and [3, 4, 6, 3] of them, no convolution biases,
     * torchvision's batch norm (momentum 0.1, i.e. Keras's 0.9; epsilon 1e-5). ResNet-50 is Keras's
     * {@code keras.applications.ResNet50}: bottleneck blocks (1×1, 3×3, 1×1 with 4× the width; the
     * stride on the first 1×1, as Keras and the paper), [3, 4, 6, 3] of them, convolutions with
     * biases, batch norm with epsilon 1.001e-5 and Keras's momentum 0.99. The stem pads
     * explicitly, as Keras and torchvision do ({@code conv1_pad} by 3 before the {@code valid}
     * 7×7 convolution, {@code pool1_pad} by 1 before the {@code valid} pooling: {@code same} with
     * a stride of 2 would start the windows a pixel later); the other convolutions pad {@code
     * same}. The layers have Keras's names ({@code conv1_conv}, {@code conv2_block1_1_bn}, ...,
     * {@code predictions}), so Keras weights pair by name.
     */
    static Model resnet(String name, int depth, int classes, Shape input, LayerSpec pre) {
        boolean bottleneck = depth >= 50;
        int[] blocks = switch (depth) {
            case 18 -> new int[] {2, 2, 2, 2};
            case 34, 50 -> new int[] {3, 4, 6, 3};
            default -> throw new IllegalArgumentException("ResNet has depth 18, 34 or 50 here, not "
                    + depth);
        };
        Graph g = bottleneck ? new Graph(true, 0.99, RESNET50_EPSILON) : new Graph(false, 0.9, 1e-5);
        Node in = Input.of("input", input);
        Node x = pre == null ? in : g.apply(PREPROCESS, pre, in);
        x = g.apply("conv1_pad", ZeroPadding.of2d(3), x);
        x = g.convBn("conv1", x, 64, 7, 2, true, "valid");
        x = g.apply("pool1_pad", ZeroPadding.of2d(1), x);
        x = g.apply("pool1_pool", new MaxPool2d(3, 2, "valid"), x);
        int[] widths = {64, 128, 256, 512};
        long channels = 64;
        for (int stage = 0; stage < 4; stage++) {
            int f = widths[stage];
            int out = bottleneck ? 4 * f : f;
            for (int b = 0; b < blocks[stage]; b++) {
                String p = "conv" + (stage + 2) + "_block" + (b + 1);
                int stride = stage > 0 && b == 0 ? 2 : 1;
                Node shortcut = x;
                if (stride != 1 || channels != out) {
                    shortcut = g.convBn(p + "_0", x, out, 1, stride, false);
                }
                Node y;
                if (bottleneck) {
                    y = g.convBn(p + "_1", x, f, 1, stride, true);
                    y = g.convBn(p + "_2", y, f, 3, 1, true);
                    y = g.convBn(p + "_3", y, out, 1, 1, false);
                } else {
                    y = g.convBn(p + "_1", x, f, 3, stride, true);
                    y = g.convBn(p + "_2", y, f, 3, 1, false);
                }
                Node sum = g.apply(p + "_add", Merge.add(), shortcut, y);
                x = g.apply(p + "_out", new Activation("relu"), sum);
                channels = out;
            }
        }
        x = g.apply("avg_pool", new GlobalAvgPool(), x);
        Node logits = g.apply("predictions", new Dense(classes), x);
        return new Functional(name, List.of(in), List.of(logits));
    }

    /**
     * GoogLeNet (Szegedy et al. 2015, "Going Deeper with Convolutions", Table 1), without the two
     * auxiliary classifiers (used only in training, and left out of the paper's inference
     * network): a 7×7 stride-2 convolution (64), 3×3 stride-2 max pooling, local response
     * normalisation, a 1×1 (64) and a 3×3 (192) convolution, normalisation and pooling, the nine
     * inception modules of the models module ({@code inception}; 3a–3b, pool, 4a–4e, pool,
     * 5a–5b), global average pooling (the paper's 7×7 average pool at 224×224), dropout 0.4 and
     * the classifier. Every convolution has a bias and relu, pads {@code same}; poolings pad
     * {@code same} (as Caffe's ceil mode does at 224×224). The normalisation is Caffe's {@code
     * bvlc_googlenet}: size 5, alpha 1e-4 (divided by the size), beta 0.75, k 1. 6,998,552
     * parameters at 3×224×224, 1000 classes.
     */
    static Model googlenet(String name, int classes, Shape input, LayerSpec pre) {
        Sequential s = start(name, input, pre);
        s.add("conv1", conv(64, 7, 2, true, "relu"));
        s.add("pool1", new MaxPool2d(3, 2, "same"));
        s.add("norm1", new Lrn(5, 1e-4, 0.75, 1.0));
        s.add("conv2_reduce", conv(64, 1, 1, true, "relu"));
        s.add("conv2", conv(192, 3, 1, true, "relu"));
        s.add("norm2", new Lrn(5, 1e-4, 0.75, 1.0));
        s.add("pool2", new MaxPool2d(3, 2, "same"));
        s.add("inception_3a", new Inception(64, 96, 128, 16, 32, 32));
        s.add("inception_3b", new Inception(128, 128, 192, 32, 96, 64));
        s.add("pool3", new MaxPool2d(3, 2, "same"));
        s.add("inception_4a", new Inception(192, 96, 208, 16, 48, 64));
        s.add("inception_4b", new Inception(160, 112, 224, 24, 64, 64));
        s.add("inception_4c", new Inception(128, 128, 256, 24, 64, 64));
        s.add("inception_4d", new Inception(112, 144, 288, 32, 64, 64));
        s.add("inception_4e", new Inception(256, 160, 320, 32, 128, 128));
        s.add("pool4", new MaxPool2d(3, 2, "same"));
        s.add("inception_5a", new Inception(256, 160, 320, 32, 128, 128));
        s.add("inception_5b", new Inception(384, 192, 384, 48, 128, 128));
        s.add("avg_pool", new GlobalAvgPool());
        s.add("dropout", new Dropout(0.4));
        s.add("predictions", new Dense(classes));
        return s;
    }
}
