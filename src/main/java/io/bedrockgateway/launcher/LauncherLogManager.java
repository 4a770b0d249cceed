package io.bedrockgateway.launcher;

import java.util.logging.LogManager;

/**
 * The JUL log manager of {@code java -jar}: the JDK's, except that it ignores the reset that the JDK's own shutdown
 * hook performs. That hook runs concurrently with ours, and would otherwise close the console handler while Tomcat
 * is still stopping the webapp, losing whatever {@code contextDestroyed} logs. Our hook calls {@link #resetFinally()}
 * once Tomcat has stopped. JDK only; {@link WarLauncher} names it in {@code java.util.logging.manager} before
 * anything logs.
 * Thread-safe, like {@link LogManager}.
 */
public final class LauncherLogManager extends LogManager {

    @Override
    public void reset() {
        // The JDK's shutdown hook is LogManager's inner class Cleaner; see the class comment.
        if (Thread.currentThread().getClass().getName().startsWith(LogManager.class.getName() + "$")) {
            return;
        }
        super.reset();
    }

    /** Flushes and closes all handlers, if this manager is the active one. */
    static void resetFinally() {
        if (LogManager.getLogManager() instanceof LauncherLogManager manager) {
            manager.doReset();
        }
    }

    private void doReset() {
        super.reset();
    }
}
