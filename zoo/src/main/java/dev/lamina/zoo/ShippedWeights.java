package dev.lamina.zoo;

import ai.djl.ndarray.types.Shape;
import dev.lamina.Model;
import dev.lamina.io.InvalidModelException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The pretrained weights that ship inside the zoo jar: LeNet-5 trained on the full
 * Fashion-MNIST by {@code examples/lenet-fashion.yaml} (seed 42; 0.8995 on the 10,000 test
 * images), for {@code lenet5} with its defaults (10 classes, 1×28×28). Each file is checked
 * against the SHA-256 recorded here; the model takes the weights when it is built, on the
 * engine chosen for it.
 */
public final class ShippedWeights implements ZooWeights {
    /** The LeNet-5 weights: resource and SHA-256 of its bytes. */
    static final String LENET = "pretrained/lenet5-fashion-mnist.params";
    static final String LENET_SHA256 = "677c5d22bf152c2535757acae43960d55eed8f016ff4335b1e5af73d5d163637";

    @Override
    public String model() {
        return "lenet5";
    }

    @Override
    public String weights() {
        return "fashion_mnist";
    }

    @Override
    public String misfit(ZooOptions options) {
        if (options.classes() != null && options.classes() != 10) {
            return "the fashion_mnist weights of lenet5 have 10 classes, not " + options.classes()
                    + "; load them with 10 and replace the head (model: {load: ..., head: ...})"
                    + " to fine-tune for another number";
        }
        if (options.input() != null && !options.input().equals(new Shape(1, 28, 28))) {
            return "the fashion_mnist weights of lenet5 take input [1, 28, 28], not "
                    + Zoo.shape(options.input());
        }
        return null;
    }

    @Override
    public void apply(ZooOptions options, Model model) throws IOException {
        byte[] bytes;
        try (InputStream in = ShippedWeights.class.getResourceAsStream(LENET)) {
            if (in == null) {
                throw new InvalidModelException(Path.of(LENET), "missing from the zoo jar");
            }
            bytes = in.readAllBytes();
        }
        String sha = sha256(bytes);
        if (!sha.equals(LENET_SHA256)) {
            throw new InvalidModelException(Path.of(LENET), "damaged: SHA-256 " + sha + ", expected "
                    + LENET_SHA256);
        }
        model.initialWeights(bytes);
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
