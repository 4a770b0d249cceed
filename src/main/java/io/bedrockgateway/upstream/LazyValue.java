package io.bedrockgateway.upstream;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * A value created on first use (SDK providers and clients, so that loading the configuration never touches AWS or
 * the profile files). Thread-safe; the factory runs at most once successfully.
 */
final class LazyValue<T> implements Supplier<T> {
    private final Supplier<? extends T> factory;
    private volatile T value;

    LazyValue(Supplier<? extends T> factory) {
        this.factory = Objects.requireNonNull(factory, "factory");
    }

    @Override
    public T get() {
        T current = value;
        if (current == null) {
            synchronized (this) {
                current = value;
                if (current == null) {
                    current = Objects.requireNonNull(factory.get(), "lazy factory returned null");
                    value = current;
                }
            }
        }
        return current;
    }

    /** The value if it was created, else {@code null}; never creates it. */
    T peek() {
        return value;
    }
}
