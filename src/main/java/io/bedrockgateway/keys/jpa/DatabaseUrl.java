package io.bedrockgateway.keys.jpa;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * A database URL from the config, parsed into what the JDBC driver needs. Immutable and thread-safe.
 *
 * <p>Accepted forms:
 * <ul>
 *   <li>{@code postgresql://user:password@host:5432/db?sslmode=require} (also {@code postgres://}): LiteLLM's
 *       {@code DATABASE_URL}. User and password are percent-decoded and handed to the pool separately; libpq and
 *       Prisma parameters are translated ({@code schema} → {@code currentSchema}, {@code connect_timeout} →
 *       {@code connectTimeout}, {@code application_name} → {@code ApplicationName}), Prisma's pool parameters are
 *       dropped, and the rest passes through to the driver.</li>
 *   <li>{@code jdbc:postgresql://...} and {@code jdbc:h2:...}: used as they are.</li>
 * </ul>
 *
 * <p>Parse errors are {@link IllegalArgumentException}s with a one-line message that never contains the password;
 * {@link #toString()} and {@link #redacted()} mask it too.
 */
public final class DatabaseUrl {
    private static final Set<String> SSL_MODES =
            Set.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");
    private static final Map<String, String> RENAMED = Map.of(
            "schema", "currentSchema",
            "connect_timeout", "connectTimeout",
            "application_name", "ApplicationName",
            "socket_timeout", "socketTimeout");
    /** Prisma's own pool and engine settings: meaningless to pgJDBC and HikariCP. */
    private static final Set<String> DROPPED = Set.of("connection_limit", "pool_timeout", "pgbouncer",
            "statement_cache_size", "sslaccept", "sslidentity", "sslpassword");
    private static final Pattern SECRET_PARAM =
            Pattern.compile("(?i)((?:password|sslpassword)=)[^&;]*");
    private static final Pattern USER_INFO = Pattern.compile("(://[^/@?]*:)[^/?]*@");

    private final DatabaseVendor vendor;
    private final String jdbcUrl;
    private final String user;
    private final String password;

    private DatabaseUrl(DatabaseVendor vendor, String jdbcUrl, String user, String password) {
        this.vendor = vendor;
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
    }

    /**
     * Parses {@code url}.
     *
     * @throws IllegalArgumentException with a message naming the problem, never the password
     */
    public static DatabaseUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("database_url is empty");
        }
        String trimmed = url.strip();
        String lower = trimmed.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:postgresql:")) {
            return new DatabaseUrl(DatabaseVendor.POSTGRESQL, trimmed, null, null);
        }
        if (lower.startsWith("jdbc:h2:")) {
            return new DatabaseUrl(DatabaseVendor.H2, trimmed, null, null);
        }
        if (lower.startsWith("postgresql://") || lower.startsWith("postgres://")) {
            return parsePostgresUri(trimmed);
        }
        int colon = lower.startsWith("jdbc:") ? trimmed.indexOf(':', 5) : trimmed.indexOf(':');
        String scheme = colon > 0 ? trimmed.substring(0, Math.min(colon, 30)) : "(none)";
        throw new IllegalArgumentException("database_url has an unsupported scheme \"" + scheme
                + "\"; expected postgresql://, postgres://, jdbc:postgresql: or jdbc:h2:");
    }

    /** The embedded H2 database in {@code file} (a path without the {@code .mv.db} suffix). */
    static DatabaseUrl embeddedH2(String file) {
        // DB_CLOSE_ON_EXIT=FALSE: Database.close() closes it, not a JVM shutdown hook racing the last spend flush.
        return new DatabaseUrl(DatabaseVendor.H2, "jdbc:h2:file:" + file + ";DB_CLOSE_ON_EXIT=FALSE", null, null);
    }

    public DatabaseVendor vendor() {
        return vendor;
    }

    /** The JDBC URL without user and password (a {@code jdbc:} URL given as such is returned unchanged). */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** The user from a {@code postgresql://} URL, or {@code null}. */
    public String user() {
        return user;
    }

    /** The password from a {@code postgresql://} URL, or {@code null}. */
    public String password() {
        return password;
    }

    /** The JDBC URL and user, fit for logs: any password in the URL is masked. */
    public String redacted() {
        String url = redact(jdbcUrl);
        return user == null ? url : url + " (user " + user + ")";
    }

    @Override
    public String toString() {
        return redacted();
    }

    /** Masks user-info passwords and {@code password=} parameters in any URL-like string. */
    static String redact(String url) {
        String masked = USER_INFO.matcher(url).replaceAll("$1****@");
        return SECRET_PARAM.matcher(masked).replaceAll("$1****");
    }

    private static DatabaseUrl parsePostgresUri(String url) {
        String rest = url.substring(url.indexOf("://") + 3);
        int query = rest.indexOf('?');
        String beforeQuery = query < 0 ? rest : rest.substring(0, query);
        String queryText = query < 0 ? "" : rest.substring(query + 1);
        int at = beforeQuery.lastIndexOf('@');
        String userInfo = at < 0 ? null : beforeQuery.substring(0, at);
        String hostAndPath = beforeQuery.substring(at + 1);
        int slash = hostAndPath.indexOf('/');
        String hosts = slash < 0 ? hostAndPath : hostAndPath.substring(0, slash);
        String dbName = slash < 0 ? "" : decode(hostAndPath.substring(slash + 1), "database name");

        String user = null;
        String password = null;
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon), "user name");
            password = colon < 0 ? null : decode(userInfo.substring(colon + 1), "password");
            user = user.isEmpty() ? null : user;
        }
        checkHosts(hosts);
        if (dbName.contains("/")) {
            throw new IllegalArgumentException("database_url: the database name must not contain '/'");
        }
        String params = jdbcParameters(queryText);
        String jdbcUrl = "jdbc:postgresql://" + hosts + "/" + encodePathSegment(dbName) + params;
        return new DatabaseUrl(DatabaseVendor.POSTGRESQL, jdbcUrl, user, password);
    }

    private static void checkHosts(String hosts) {
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException(
                    "database_url has no host, e.g. postgresql://user:password@host:5432/db");
        }
        for (String host : hosts.split(",", -1)) {
            String port = null;
            if (host.startsWith("[")) {
                int close = host.indexOf(']');
                if (close < 0) {
                    throw new IllegalArgumentException("database_url has an unclosed IPv6 address");
                }
                port = host.length() > close + 1 && host.charAt(close + 1) == ':' ? host.substring(close + 2) : null;
            } else if (host.contains(":")) {
                port = host.substring(host.indexOf(':') + 1);
                host = host.substring(0, host.indexOf(':'));
            }
            if (host.isEmpty()) {
                throw new IllegalArgumentException("database_url has an empty host name");
            }
            if (port != null && !validPort(port)) {
                throw new IllegalArgumentException("database_url has an invalid port \"" + shorten(port)
                        + "\"; expected 1 to 65535");
            }
        }
    }

    private static boolean validPort(String port) {
        if (!port.matches("\\d{1,5}")) {
            return false;
        }
        int p = Integer.parseInt(port);
        return p >= 1 && p <= 65535;
    }

    private static String jdbcParameters(String query) {
        if (query.isEmpty()) {
            return "";
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq), "parameter name");
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1), "value of parameter " + name);
            if (DROPPED.contains(name)) {
                continue;
            }
            if (name.equals("sslmode") && !SSL_MODES.contains(value)) {
                throw new IllegalArgumentException("database_url has an invalid sslmode \"" + shorten(value)
                        + "\"; expected one of disable, allow, prefer, require, verify-ca, verify-full");
            }
            params.put(RENAMED.getOrDefault(name, name), value);
        }
        if (params.isEmpty()) {
            return "";
        }
        StringJoiner joined = new StringJoiner("&", "?", "");
        params.forEach((name, value) -> joined.add(encodeQuery(name) + "=" + encodeQuery(value)));
        return joined.toString();
    }

    /** Percent-decoding as in URIs ('+' stays '+'), UTF-8. */
    private static String decode(String s, String what) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '%') {
                out.append(bytes.toString(StandardCharsets.UTF_8)).append(c);
                bytes.reset();
                continue;
            }
            int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
            int lo = i + 2 < s.length() ? Character.digit(s.charAt(i + 2), 16) : -1;
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("database_url has a malformed percent-encoding in the " + what);
            }
            bytes.write(hi * 16 + lo);
            i += 2;
        }
        return out.append(bytes.toString(StandardCharsets.UTF_8)).toString();
    }

    private static String encodeQuery(String s) {
        return encode(s, "-._~/:,");
    }

    private static String encodePathSegment(String s) {
        return encode(s, "-._~");
    }

    private static String encode(String s, String safe) {
        StringBuilder out = new StringBuilder(s.length());
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || safe.indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private static String shorten(String s) {
        return s.length() <= 20 ? s : s.substring(0, 20) + "...";
    }
}
