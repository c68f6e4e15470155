package dev.lamina.train;

/**
 * Sets the learning rate at the start of each epoch from a function of the epoch (0-based) and
 * the current rate, as Keras's {@code LearningRateScheduler}:
 *
 * <pre>
 * new LearningRateScheduler((epoch, lr) -&gt; epoch &lt; 10 ? lr : lr * Math.exp(-0.1))
 * </pre>
 *
 * The rate set holds for every update of the epoch, whatever the optimizer's own schedule says
 * ({@link FitContext#rateControl()}); the History's {@code learning_rate} shows it. In a run file
 * the function is a list of rates, one per epoch, or one of Lamina's schedules evaluated at the
 * epoch number (see {@link Callbacks}).
 */
public final class LearningRateScheduler implements Callback {
    /** The name in run files. */
    public static final String TYPE = "learning_rate_scheduler";

    /** Keras's {@code schedule(epoch, lr)}: the rate for epoch {@code epoch} (0-based). */
    @FunctionalInterface
    public interface Schedule {
        double rate(int epoch, double lr);
    }

    private final Schedule schedule;

    /** Sets the rate to {@code schedule.rate(epoch, current rate)} before each epoch. */
    public LearningRateScheduler(Schedule schedule) {
        if (schedule == null) {
            throw new IllegalArgumentException("learning_rate_scheduler needs a schedule:"
                    + " a function (epoch, lr) -> lr");
        }
        this.schedule = schedule;
    }

    @Override
    public void onEpochBegin(int epoch, FitContext run) {
        double lr = schedule.rate(epoch, run.learningRate());
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("learning_rate_scheduler gave the learning rate "
                    + lr + " for epoch " + (epoch + 1) + ": a schedule must give a number > 0");
        }
        run.rateControl().set(lr);
    }
}
