package io.bedrockgateway.keys.jpa;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DatabaseUrlTest {
    private static final String SECRET = "s3cr%40t:p/w";

    @Test
    void litellmFormBecomesJdbcUrlWithSeparateCredentials() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://gateway:" + SECRET + "@db.internal:5433/llm?sslmode=require");
        assertEquals(DatabaseVendor.POSTGRESQL, url.vendor());
        assertEquals("jdbc:postgresql://db.internal:5433/llm?sslmode=require", url.jdbcUrl());
        assertEquals("gateway", url.user());
        assertEquals("s3cr@t:p/w", url.password(), "percent-decoded; ':' and '/' after the first ':' belong to it");
        assertEquals("jdbc:postgresql://db.internal:5433/llm?sslmode=require (user gateway)", url.toString());
    }

    @Test
    void postgresSchemeAndDefaults() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://db");
        assertEquals("jdbc:postgresql://db/", url.jdbcUrl());
        assertNull(url.user());
        assertNull(url.password());
        assertEquals("jdbc:postgresql://db/app", DatabaseUrl.parse("POSTGRES://u@db/app").jdbcUrl());
        assertEquals("u", DatabaseUrl.parse("postgres://u@db/app").user());
        assertNull(DatabaseUrl.parse("postgres://u@db/app").password());
        assertEquals("", DatabaseUrl.parse("postgres://u:@db/app").password());
    }

    @Test
    void rawSpecialCharactersInThePasswordAreTolerated() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://u:p@ss#word@host/db");
        assertEquals("p@ss#word", url.password());
        assertEquals("jdbc:postgresql://host/db", url.jdbcUrl());
        assertEquals("pa+ss", DatabaseUrl.parse("postgresql://u:pa+ss@host/db").password(), "'+' is no space");
    }

    @Test
    void libpqAndPrismaParametersAreTranslated() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://u:p@h:5432/db?schema=litellm&connection_limit=5"
                + "&pool_timeout=10&connect_timeout=7&application_name=bedrock%20gw&sslmode=verify-full"
                + "&sslrootcert=/etc/ssl/rds.pem&pgbouncer=true");
        assertEquals("jdbc:postgresql://h:5432/db?currentSchema=litellm&connectTimeout=7"
                + "&ApplicationName=bedrock%20gw&sslmode=verify-full&sslrootcert=/etc/ssl/rds.pem", url.jdbcUrl());
    }

    @Test
    void ipv6AndSeveralHosts() {
        assertEquals("jdbc:postgresql://[::1]:5432/db", DatabaseUrl.parse("postgresql://u@[::1]:5432/db").jdbcUrl());
        assertEquals("jdbc:postgresql://a:5432,b:5433/db?targetServerType=primary",
                DatabaseUrl.parse("postgresql://a:5432,b:5433/db?targetServerType=primary").jdbcUrl());
    }

    @Test
    void jdbcUrlsPassThrough() {
        DatabaseUrl pg = DatabaseUrl.parse(" jdbc:postgresql://h/db?user=u&password=secret ");
        assertEquals(DatabaseVendor.POSTGRESQL, pg.vendor());
        assertEquals("jdbc:postgresql://h/db?user=u&password=secret", pg.jdbcUrl());
        assertEquals("jdbc:postgresql://h/db?user=u&password=****", pg.toString());
        DatabaseUrl h2 = DatabaseUrl.parse("jdbc:h2:file:/var/lib/gw/db;PASSWORD=secret;MODE=PostgreSQL");
        assertEquals(DatabaseVendor.H2, h2.vendor());
        assertEquals("jdbc:h2:file:/var/lib/gw/db;PASSWORD=****;MODE=PostgreSQL", h2.redacted());
    }

    @Test
    void badUrlsFailWithOneLineThatNeverShowsThePassword() {
        assertMessage("database_url has an unsupported scheme \"mysql\"; expected postgresql://, postgres://,"
                + " jdbc:postgresql: or jdbc:h2:", "mysql://u:" + SECRET + "@h/db");
        assertMessage("database_url has an unsupported scheme \"(none)\"; expected postgresql://, postgres://,"
                + " jdbc:postgresql: or jdbc:h2:", "localhost");
        assertMessage("database_url has an unsupported scheme \"jdbc:mysql\"; expected postgresql://, postgres://,"
                + " jdbc:postgresql: or jdbc:h2:", "jdbc:mysql://h/db?password=" + SECRET);
        assertMessage("database_url has no host, e.g. postgresql://user:password@host:5432/db",
                "postgresql://u:" + SECRET + "@/db");
        assertMessage("database_url has an invalid port \"54x2\"; expected 1 to 65535",
                "postgresql://u:" + SECRET + "@h:54x2/db");
        assertMessage("database_url has an invalid port \"70000\"; expected 1 to 65535",
                "postgresql://u:" + SECRET + "@h:70000/db");
        assertMessage("database_url has an empty host name", "postgresql://u:" + SECRET + "@:5432/db");
        assertMessage("database_url has an unclosed IPv6 address", "postgresql://u:" + SECRET + "@[::1/db");
        assertMessage("database_url has a malformed percent-encoding in the password", "postgresql://u:ab%zz@h/db");
        assertMessage("database_url has a malformed percent-encoding in the password", "postgresql://u:ab%4@h/db");
        assertMessage("database_url has an invalid sslmode \"required\"; expected one of disable, allow, prefer,"
                + " require, verify-ca, verify-full", "postgresql://u:" + SECRET + "@h/db?sslmode=required");
        assertMessage("database_url: the database name must not contain '/'", "postgresql://u:" + SECRET + "@h/a/b");
        assertMessage("database_url is empty", "  ");
        assertMessage("database_url is empty", null);
    }

    private static void assertMessage(String expected, String url) {
        String message = assertThrows(IllegalArgumentException.class, () -> DatabaseUrl.parse(url)).getMessage();
        assertEquals(expected, message);
        assertFalse(message.contains("s3cr") || message.contains("ab%") || message.contains("\n"), message);
    }
}
