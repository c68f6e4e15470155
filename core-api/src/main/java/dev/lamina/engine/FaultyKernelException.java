package dev.lamina.engine;

/**
 * Thrown instead of training or predicting on an engine whose native kernels compute wrong numbers
 * on this CPU and cannot be avoided; the message names the kernels and the fix.
 */
public final class FaultyKernelException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final transient KernelCheck.Verdict verdict;

    /** The refusal for this verdict. */
    public FaultyKernelException(KernelCheck.Verdict verdict) {
        super(verdict.engine() + "'s native kernels give wrong numbers on this CPU ("
                + String.join(", ", verdict.remaining()) + ") and Lamina could not avoid them"
                + " in this process. Fix: train on the other engine (engine: "
                + (verdict.engine().equals("PyTorch") ? "mxnet" : "pytorch")
                + " in YAML, --engine, or Model.engine(...))"
                + (verdict.engine().equals("PyTorch")
                        ? "; or put JNA on the class path, so Lamina can turn oneDNN off" : ""));
        this.verdict = verdict;
    }

    /** What the kernel check found. */
    public KernelCheck.Verdict verdict() {
        return verdict;
    }
}
