package dev.junction.engine.expr;

/** Thrown when an expression or template does not compile; {@code position} is a 0-based offset. */
public final class ExpressionSyntaxException extends RuntimeException {
    private final int position;

    public ExpressionSyntaxException(String message, int position) {
        super(message);
        this.position = position;
    }

    public int position() {
        return position;
    }
}
