package io.bedrockgateway.launcher;

import java.util.logging.LogManager;

/**
 * The JUL log manager of {@code java -jar}: the JDK's, except that it ignores every {@link #reset()} but its own
 * final one. Two resets would otherwise strike while the server still runs or stops: the JDK's shutdown hook, which
 * runs concurrently with ours and would close the console handler while Tomcat is still stopping the webapp (losing
 * whatever {@code contextDestroyed} logs); and Tomcat's {@code LogFactory.release}, which resets the whole JVM's
 * logging whenever a webapp class loader stops (for example after a failed start, wiping the levels and handlers the
 * launcher set). Our hook calls {@link #resetFinally()} once Tomcat has stopped. JDK only; {@link WarLauncher} names
 * it in {@code java.util.logging.manager} before anything logs. Thread-safe, like {@link LogManager}.
 */
public final class LauncherLogManager extends LogManager {

    @Override
    public void reset() {
        // Deliberately ignored; see the class comment. Nothing is configured yet at the JDK's initial reset.
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
