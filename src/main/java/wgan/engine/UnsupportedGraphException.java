package wgan.engine;

/**
 * An engine cannot run this graph, or this feature: the message is one line a user can read,
 * naming the layer and what is not implemented ("layer d2: DropoutLayer is not in the fast engine").
 */
public final class UnsupportedGraphException extends RuntimeException {
    public UnsupportedGraphException(String message) {
        super(message);
    }
}
