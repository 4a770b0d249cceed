package io.bedrockgateway.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Holds back what reaches the root logger's handlers while the server starts, so that a start-up failure that has a
 * one-line explanation is not drowned in the stack traces Tomcat logs for it. {@link #release} puts the original
 * handlers back and replays the records chosen. JDK only. Thread-safe: Tomcat logs from its start-stop threads.
 */
final class StartupLogBuffer extends Handler {
    private static final int MAX_RECORDS = 10_000;

    private final Logger root = Logger.getLogger("");
    private final Handler[] handlers;
    private final List<LogRecord> records = new ArrayList<>();
    private boolean released;

    private StartupLogBuffer() {
        handlers = root.getHandlers();
    }

    /** Starts holding back the root logger's output. */
    static StartupLogBuffer capture() {
        StartupLogBuffer buffer = new StartupLogBuffer();
        for (Handler handler : buffer.handlers) {
            buffer.root.removeHandler(handler);
        }
        buffer.root.addHandler(buffer);
        return buffer;
    }

    @Override
    public synchronized void publish(LogRecord record) {
        if (!released && records.size() < MAX_RECORDS) {
            records.add(record);
        }
    }

    /** The first throwable logged so far, anywhere in a cause chain, that is an instance of {@code type}. */
    synchronized <T extends Throwable> T find(Class<T> type) {
        for (LogRecord record : records) {
            for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
                if (type.isInstance(t)) {
                    return type.cast(t);
                }
            }
        }
        return null;
    }

    /** Restores the root handlers and replays the held records that {@code keep} accepts. Idempotent. */
    void release(Predicate<LogRecord> keep) {
        List<LogRecord> held;
        synchronized (this) {
            if (released) {
                return;
            }
            released = true;
            held = new ArrayList<>(records);
            records.clear();
        }
        root.removeHandler(this);
        for (Handler handler : handlers) {
            root.addHandler(handler);
        }
        for (LogRecord record : held) {
            if (keep.test(record)) {
                for (Handler handler : handlers) {
                    handler.publish(record);
                }
            }
        }
        for (Handler handler : handlers) {
            handler.flush();
        }
    }

    @Override
    public void flush() {
        // held records are flushed on release
    }

    @Override
    public void close() {
        release(record -> true);
    }
}
