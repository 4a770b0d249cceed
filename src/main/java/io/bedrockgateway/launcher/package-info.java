/**
 * Packaging and launch: one WAR that runs with {@code java -jar} and still deploys to a standalone Tomcat or Jetty.
 *
 * <pre>
 * bedrock-gateway.war
 *   io/bedrockgateway/launcher/*.class   this package, at the archive root; never inside WEB-INF/classes
 *   WEB-INF/lib-provided/*.jar           embedded Tomcat; outside WEB-INF/lib, so a standalone container ignores it
 *   WEB-INF/lib/*.jar, WEB-INF/classes   the webapp, as any container sees it
 *
 * java -jar            system class loader: the WAR as a jar, so only the root classes
 *   WarLauncher          JDK only: parses arguments, extracts lib-provided to a temp dir
 *     launcher loader    URLClassLoader(lib-provided jars + WAR root), parent = platform class loader
 *       EmbeddedGateway  Tomcat API: deploys the WAR file itself as the ROOT context
 *         webapp loader  Tomcat's, over WEB-INF/classes and WEB-INF/lib, parent = launcher loader
 * </pre>
 *
 * The root classes are loaded twice: by the system class loader (only {@link io.bedrockgateway.launcher.WarLauncher}
 * and its JDK-only helpers run there) and by the launcher loader (where {@code EmbeddedGateway} and
 * {@code ConnectorSettings} can see Tomcat). The two halves therefore talk only through JDK types, by reflection.
 * The classes that touch Tomcat ({@code EmbeddedGateway}, {@code ConnectorSettings}) are also what the in-process
 * test server uses, so tests, {@code java -jar} and {@code tomcat-conf/server.xml} configure the connector alike.
 */
package io.bedrockgateway.launcher;
