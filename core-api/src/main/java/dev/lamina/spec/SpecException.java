package dev.lamina.spec;

/**
 * A layer, optimizer, loss or other spec was given a value it cannot take. Thrown by the specs'
 * constructors, so Java, YAML and saved models are all checked the same way; YAML readers add the
 * file and line.
 */
public class SpecException extends IllegalArgumentException {
    private final String type;
    private final String setting;
    private final String detail;

    /** {@code type} is the spec's type name, {@code setting} the setting's name. */
    public SpecException(String type, String setting, String detail) {
        super(type + "." + setting + ": " + detail);
        this.type = type;
        this.setting = setting;
        this.detail = detail;
    }

    /** The spec's type name, such as {@code dense}. */
    public String type() {
        return type;
    }

    /** The setting that was wrong, such as {@code units}. */
    public String setting() {
        return setting;
    }

    /** What was wrong and what would be right. */
    public String detail() {
        return detail;
    }
}
