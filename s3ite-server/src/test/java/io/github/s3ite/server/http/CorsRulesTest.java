package io.github.s3ite.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How CORS rules answer a preflight and an actual request: pure, no server. */
class CorsRulesTest {
    private static final CorsRules.Rule UPLOADS = new CorsRules.Rule("uploads", List.of("https://app.example.com"),
            List.of("PUT", "POST"), List.of("content-type", "x-amz-*"), List.of("ETag"), 3000);
    private static final CorsRules.Rule SUBDOMAINS = new CorsRules.Rule(null, List.of("https://*.example.org"),
            List.of("GET"), List.of(), List.of(), null);
    private static final CorsRules.Rule ANYONE_READS = new CorsRules.Rule(null, List.of("*"),
            List.of("GET", "HEAD"), List.of("*"), List.of("x-amz-request-id", "Content-Length"), null);
    private static final CorsRules RULES = CorsRules.of(List.of(UPLOADS, SUBDOMAINS, ANYONE_READS));

    private static Map<String, String> map(List<CorsRules.Header> headers) {
        if (headers == null) {
            return null;
        }
        Map<String, String> map = new LinkedHashMap<>();
        headers.forEach(header -> map.put(header.name(), header.value()));
        return map;
    }

    @Test
    void wildcardsMatchOneRunOfCharacters() {
        assertTrue(CorsRules.matches("*", "", false));
        assertTrue(CorsRules.matches("https://*.example.org", "https://a.b.example.org", false));
        assertFalse(CorsRules.matches("https://*.example.org", "https://example.org", false));
        assertFalse(CorsRules.matches("https://*.example.org", "http://a.example.org", false));
        assertTrue(CorsRules.matches("a*a", "aa", false));
        assertFalse(CorsRules.matches("a*a", "a", false));
        assertFalse(CorsRules.matches("https://App.example.com", "https://app.example.com", false));
        assertTrue(CorsRules.matches("X-Amz-*", "x-amz-date", true));
    }

    @Test
    void aPreflightTheFirstRuleAllowsIsAnsweredWithItsHeaders() {
        Map<String, String> answer = map(RULES.preflight("https://app.example.com", "PUT",
                "Content-Type, X-Amz-Meta-Owner,x-amz-date"));
        assertEquals("https://app.example.com", answer.get("Access-Control-Allow-Origin"));
        assertEquals("PUT, POST", answer.get("Access-Control-Allow-Methods"));
        assertEquals("content-type, x-amz-meta-owner, x-amz-date", answer.get("Access-Control-Allow-Headers"));
        assertEquals("ETag", answer.get("Access-Control-Expose-Headers"));
        assertEquals("3000", answer.get("Access-Control-Max-Age"));
        assertEquals("true", answer.get("Access-Control-Allow-Credentials"));
        assertEquals(CorsRules.VARY, answer.get("Vary"));
    }

    @Test
    void aWildcardOriginIsAnsweredWithAStarAndNoCredentials() {
        Map<String, String> answer = map(RULES.preflight("https://elsewhere.net", "GET", "range"));
        assertEquals("*", answer.get("Access-Control-Allow-Origin"));
        assertEquals("GET, HEAD", answer.get("Access-Control-Allow-Methods"));
        assertEquals("range", answer.get("Access-Control-Allow-Headers"));
        assertNull(answer.get("Access-Control-Allow-Credentials"));
        assertNull(answer.get("Access-Control-Max-Age"));
    }

    @Test
    void aPreflightNoRuleAllowsIsRefused() {
        // the origin matches the first rule, the method only the last, which allows no PUT
        assertNull(RULES.preflight("https://elsewhere.net", "PUT", null));
        // a header the first rule does not allow
        assertNull(CorsRules.of(List.of(UPLOADS)).preflight("https://app.example.com", "PUT", "authorization"));
        // a rule without AllowedHeader allows no requested header at all
        assertNull(CorsRules.of(List.of(SUBDOMAINS)).preflight("https://x.example.org", "GET", "range"));
        assertEquals("https://x.example.org", map(CorsRules.of(List.of(SUBDOMAINS))
                .preflight("https://x.example.org", "GET", null)).get("Access-Control-Allow-Origin"));
        assertNull(CorsRules.of(List.of()).preflight("https://app.example.com", "GET", null));
    }

    @Test
    void anActualRequestGetsTheHeadersOfTheRuleAllowingItsOriginAndMethod() {
        Map<String, String> answer = map(RULES.actual("https://shop.example.org", "GET"));
        assertEquals("https://shop.example.org", answer.get("Access-Control-Allow-Origin"));
        assertEquals("GET", answer.get("Access-Control-Allow-Methods"));
        assertEquals("true", answer.get("Access-Control-Allow-Credentials"));
        assertNull(answer.get("Access-Control-Expose-Headers"));
        Map<String, String> anyone = map(RULES.actual("https://elsewhere.net", "HEAD"));
        assertEquals("*", anyone.get("Access-Control-Allow-Origin"));
        assertEquals("x-amz-request-id, Content-Length", anyone.get("Access-Control-Expose-Headers"));
        // nothing allows a DELETE: the answer only varies with the origin
        assertEquals(Map.of("Vary", CorsRules.VARY), map(RULES.actual("https://app.example.com", "DELETE")));
    }

    @Test
    void permissiveRulesAllowEveryOriginMethodAndHeader() {
        Map<String, String> answer = map(CorsRules.PERMISSIVE.preflight("http://localhost:3000", "DELETE",
                "Authorization, X-Amz-Date"));
        assertEquals("http://localhost:3000", answer.get("Access-Control-Allow-Origin"));
        assertTrue(answer.get("Access-Control-Allow-Methods").contains("DELETE"));
        assertEquals("authorization, x-amz-date", answer.get("Access-Control-Allow-Headers"));
        assertEquals("true", answer.get("Access-Control-Allow-Credentials"));
        Map<String, String> actual = map(CorsRules.PERMISSIVE.actual("http://localhost:3000", "GET"));
        assertEquals("http://localhost:3000", actual.get("Access-Control-Allow-Origin"));
        assertTrue(actual.get("Access-Control-Expose-Headers").contains("ETag"));
        assertEquals(CorsRules.VARY, actual.get("Vary"));
    }
}
