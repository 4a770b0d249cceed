package io.bedrockgateway.it;

import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.jboss.arquillian.container.jetty.embedded_12_ee10.WebAppContextProcessor;
import org.jboss.arquillian.core.spi.LoadableExtension;
import org.jboss.shrinkwrap.api.Archive;

/**
 * Makes Arquillian's embedded Jetty load a deployment's classes from its own {@code WEB-INF} first, as a
 * standalone Jetty does (the Servlet spec's order). The adapter's default searches the test class path first, where
 * the gateway's classes also are, and the test would then not run the WAR's. Its {@code classloaderBehavior}
 * setting is an enum that {@code arquillian.xml} cannot set, hence this hook. Registered in
 * {@code META-INF/services/org.jboss.arquillian.core.spi.LoadableExtension}. Stateless.
 */
public final class WarFirstClassLoading implements LoadableExtension, WebAppContextProcessor {
    @Override
    public void register(ExtensionBuilder builder) {
        builder.service(WebAppContextProcessor.class, WarFirstClassLoading.class);
    }

    @Override
    public void process(WebAppContext webAppContext, Archive<?> archive) {
        webAppContext.setParentLoaderPriority(false);
    }
}
