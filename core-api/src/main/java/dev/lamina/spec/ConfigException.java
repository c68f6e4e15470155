package dev.lamina.spec;

/**
 * A setting in a run file, a saved model or a Java call is wrong. The message names the file and
 * line (when known), the field, what was wrong and what would be right.
 */
public class ConfigException extends IllegalArgumentException {
    private final String where;
    private final String field;
    private final String detail;

    /** An error at {@code where} ("file:line", may be empty) about {@code field} (may be empty). */
    public ConfigException(String where, String field, String detail) {
        super(format(where, field, detail));
        this.where = where == null ? "" : where;
        this.field = field == null ? "" : field;
        this.detail = detail;
    }

    private static String format(String where, String field, String detail) {
        StringBuilder sb = new StringBuilder();
        if (where != null && !where.isEmpty()) {
            sb.append(where).append(": ");
        }
        if (field != null && !field.isEmpty()) {
            sb.append(field).append(": ");
        }
        return sb.append(detail).toString();
    }

    /** "file:line", or empty when the error did not come from a file. */
    public String where() {
        return where;
    }

    /** The field path, such as {@code model.layers[1].conv2d.filters}. */
    public String field() {
        return field;
    }

    /** What was wrong, without the position. */
    public String detail() {
        return detail;
    }
}
