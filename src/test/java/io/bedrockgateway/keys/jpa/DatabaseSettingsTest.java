package io.bedrockgateway.keys.jpa;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatabaseSettingsTest {
    @Test
    void defaultsToTheEmbeddedDatabaseInData() {
        DatabaseSettings settings = new DatabaseSettings(" ", null, 0);
        assertNull(settings.databaseUrl());
        assertEquals(Path.of("data"), settings.dataDirectory());
        assertEquals(DatabaseSettings.DEFAULT_POOL_SIZE, settings.maxPoolSize());
        DatabaseUrl url = settings.url();
        assertEquals(DatabaseVendor.H2, url.vendor());
        assertEquals("jdbc:h2:file:" + Path.of("data").toAbsolutePath().resolve("bedrock-gateway")
                + ";DB_CLOSE_ON_EXIT=FALSE", url.jdbcUrl());
    }

    @Test
    void aMalformedUrlFailsAtConstruction() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DatabaseSettings.of("postgresql://u:hunter2@h:x/db"));
        assertFalse(e.getMessage().contains("hunter2"));
    }

    @Test
    void toStringNeverShowsThePassword() {
        String text = new DatabaseSettings("postgresql://u:hunter2@h/db", Path.of("/x"), 3).toString();
        assertFalse(text.contains("hunter2"), text);
        assertTrue(text.contains("jdbc:postgresql://h/db (user u)"), text);
        assertTrue(text.contains("maxPoolSize=3"), text);
    }
}
