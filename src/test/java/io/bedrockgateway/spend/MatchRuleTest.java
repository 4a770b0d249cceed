package io.bedrockgateway.spend;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MatchRuleTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static MatchRule rule(String json) throws Exception {
        return MatchRule.parse(JSON.readTree(json));
    }

    @Test
    void leavesMatchCaseInsensitivelyAndScoreTheirLength() throws Exception {
        assertEquals(6, rule("{\"contains\": \"Claude\"}").score("anthropic.claude-v2"));
        assertEquals(9, rule("{\"starts_with\": \"anthropic\"}").score("anthropic.claude-v2"));
        assertEquals(MatchRule.NO_MATCH, rule("{\"starts_with\": \"claude\"}").score("anthropic.claude-v2"));
        assertEquals(2, rule("{\"ends_with\": \"v2\"}").score("anthropic.claude-v2"));
        assertEquals(MatchRule.NO_MATCH, rule("{\"equals\": \"anthropic.claude\"}").score("anthropic.claude-v2"));
        assertEquals(1, rule("{\"regex\": \"claude-v[0-9]\"}").score("anthropic.claude-v2"));
    }

    @Test
    void equalsBeatsAnyLongerLiteral() throws Exception {
        int equals = rule("{\"equals\": \"a.b\"}").score("a.b");
        int contains = rule("{\"contains\": \"a.b\"}").score("a.b");
        assertTrue(equals > contains + 1000);
    }

    @Test
    void orTakesItsBestBranchAndAndSumsAll() throws Exception {
        MatchRule or = rule("{\"or\": [{\"contains\": \"claude\"}, {\"contains\": \"claude-v2\"}, {\"equals\": \"x\"}]}");
        assertEquals(9, or.score("anthropic.claude-v2"));
        assertEquals(MatchRule.NO_MATCH, or.score("meta.llama"));
        MatchRule and = rule("{\"and\": [{\"starts_with\": \"anthropic\"}, {\"ends_with\": \"v2\"}]}");
        assertEquals(11, and.score("anthropic.claude-v2"));
        assertEquals(MatchRule.NO_MATCH, and.score("anthropic.claude-v3"));
    }

    @Test
    void unknownOrMalformedRulesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> rule("{\"fuzzy\": \"claude\"}"));
        assertThrows(IllegalArgumentException.class, () -> rule("{\"contains\": \"\"}"));
        assertThrows(IllegalArgumentException.class, () -> rule("{\"contains\": 3}"));
        assertThrows(IllegalArgumentException.class, () -> rule("{\"or\": []}"));
        assertThrows(IllegalArgumentException.class, () -> rule("{\"contains\": \"a\", \"equals\": \"b\"}"));
        assertThrows(IllegalArgumentException.class, () -> rule("\"claude\""));
    }
}
