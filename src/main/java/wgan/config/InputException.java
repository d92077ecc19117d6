package wgan.config;

/**
 * A problem with what the user asked for or gave us (a flag, a folder, a file), as opposed to a
 * bug. The message is one line that says what is wrong and what to do; the CLI prints it
 * without a stack trace and exits with the usage/input exit code.
 */
public class InputException extends RuntimeException {
    public InputException(String message) {
        super(message);
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
    }
}
