package io.bedrockgateway.keys.jpa;

import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Collections;
import java.util.logging.Logger;

/**
 * The JDBC drivers that the webapp brings (WEB-INF/lib), registered in {@link DriverManager} while a
 * {@link Database} with a pool of its own is open, and deregistered when the last one closes: a webapp's drivers
 * left in {@code DriverManager} pin its class loader after undeploy (Tomcat warns, and unregisters them itself).
 * Thread-safe: all state is guarded by the class lock.
 */
final class JdbcDrivers {
    private static final Logger LOG = Logger.getLogger(JdbcDrivers.class.getName());
    private static int users;

    private JdbcDrivers() {
    }

    /**
     * Counts one more user and makes sure {@code DriverManager} knows the vendor's driver: it registers itself when
     * first loaded, but an earlier {@link #release} may have deregistered it since.
     *
     * @throws IllegalStateException when the driver is not on the class path
     */
    static synchronized void acquire(DatabaseVendor vendor) {
        try {
            Class<?> type = Class.forName(vendor.driverClassName(), true, JdbcDrivers.class.getClassLoader());
            if (Collections.list(DriverManager.getDrivers()).stream().noneMatch(d -> d.getClass() == type)) {
                DriverManager.registerDriver((Driver) type.getConstructor().newInstance());
            }
        } catch (ReflectiveOperationException | SQLException e) {
            throw new IllegalStateException("JDBC driver " + vendor.driverClassName() + " not available: " + e, e);
        }
        users++;
    }

    /** Counts one user less; the last one deregisters every driver this class loader loaded. */
    static synchronized void release() {
        if (--users > 0) {
            return;
        }
        users = 0;
        ClassLoader own = JdbcDrivers.class.getClassLoader();
        for (Driver driver : Collections.list(DriverManager.getDrivers())) {
            if (driver.getClass().getClassLoader() == own) {
                try {
                    DriverManager.deregisterDriver(driver);
                } catch (SQLException e) {
                    LOG.warning("bedrock-gateway: cannot deregister JDBC driver " + driver.getClass().getName()
                            + ": " + e);
                }
            }
        }
    }
}
