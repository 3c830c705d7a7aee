package io.github.s3ite.server.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** IAM's wildcards and policy variables in a policy's values. */
class PolicyPatternTest {
    private static boolean matches(String pattern, String input) {
        return PolicyPattern.of(pattern, true, true).matches(input, false);
    }

    private static PolicyPattern resolve(String pattern, Map<String, String> values) {
        return PolicyPattern.of(pattern, true, true).resolve(values::get);
    }

    @Test
    void aStarMatchesAnyRunOfCharactersIncludingNone() {
        assertTrue(matches("*", ""));
        assertTrue(matches("a*b", "ab"));
        assertTrue(matches("a*b", "a/x:y/b"));
        assertTrue(matches("a*b*c", "abbbc"));
        assertFalse(matches("a*b", "a"));
        assertFalse(matches("a*b", "ba"));
        assertTrue(matches("**", "anything"));
    }

    @Test
    void aQuestionMarkMatchesExactlyOneCharacter() {
        assertTrue(matches("a?c", "abc"));
        assertFalse(matches("a?c", "ac"));
        assertFalse(matches("a?c", "abbc"));
        assertTrue(matches("???", "xyz"));
    }

    @Test
    void otherCharactersMatchThemselvesOnly() {
        assertTrue(matches("a.b[c]+(d)", "a.b[c]+(d)"));
        assertFalse(matches("a.b", "axb"));
        assertFalse(matches("abc", "ABC"));
        assertTrue(PolicyPattern.of("abc", true, false).matches("ABC", true));
    }

    @Test
    void withoutWildcardsStarAndQuestionMarkAreText() {
        PolicyPattern exact = PolicyPattern.of("a*?", false, true);
        assertTrue(exact.matches("a*?", false));
        assertFalse(exact.matches("abc", false));
    }

    @Test
    void variablesAreReplacedByTheirValueAsText() {
        PolicyPattern resolved = resolve("home/${aws:username}/*", Map.of("aws:username", "a*"));
        assertTrue(resolved.matches("home/a*/x", false));
        assertFalse(resolved.matches("home/ab/x", false));
    }

    @Test
    void variableNamesAreNormalizedAndTrimmed() {
        assertEquals("home/alice", resolve("home/${ AWS:UserName }", Map.of("aws:username", "alice")).literal());
        assertEquals("Env", resolve("${s3:ExistingObjectTag/Env}", Map.of("s3:existingobjecttag/Env", "Env")).literal());
    }

    @Test
    void anUnresolvedVariableWithoutDefaultResolvesToNothing() {
        assertNull(resolve("home/${aws:username}", Map.of()));
    }

    @Test
    void aDefaultValueStandsInForAMissingVariable() {
        assertEquals("home/guest", resolve("home/${aws:username, 'guest'}", Map.of()).literal());
        assertEquals("home/alice", resolve("home/${aws:username,'guest'}", Map.of("aws:username", "alice")).literal());
        assertEquals("it's", resolve("${aws:username, 'it''s'}", Map.of()).literal());
        assertEquals("a}b", resolve("${aws:username, 'a}b'}", Map.of()).literal());
    }

    @Test
    void specialVariablesAreTheCharactersThemselves() {
        PolicyPattern pattern = PolicyPattern.of("${*}${?}${$}*", true, true);
        assertFalse(pattern.hasVariables());
        assertTrue(pattern.matches("*?$anything", false));
        assertFalse(pattern.matches("ab$anything", false));
    }

    @Test
    void aMalformedVariableIsText() {
        assertEquals("${aws:username", PolicyPattern.of("${aws:username", true, true).literal());
        assertEquals("${}", PolicyPattern.of("${}", true, true).literal());
        assertEquals("${a, b}", PolicyPattern.of("${a, b}", true, true).literal());
        assertEquals("${a, 'b}", PolicyPattern.of("${a, 'b}", true, true).literal());
        assertFalse(PolicyPattern.of("${a, 'b' c}", true, true).hasVariables());
    }

    @Test
    void withoutVariablesDollarBracesAreText() {
        PolicyPattern pattern = PolicyPattern.of("${aws:username}", true, false);
        assertFalse(pattern.hasVariables());
        assertTrue(pattern.matches("${aws:username}", false));
    }

    @Test
    void prefixesAPatternCanStartWithAreFoundWithVariablesAsAnyText() {
        assertTrue(PolicyPattern.of("arn:aws:s3:::bucket/*", true, true).canMatchStartOf("arn:aws:s3:::bucket/"));
        assertTrue(PolicyPattern.of("arn:aws:s3:::bucket/a", true, true).canMatchStartOf("arn:aws:s3:::bucket/"));
        assertFalse(PolicyPattern.of("arn:aws:s3:::bucket", true, true).canMatchStartOf("arn:aws:s3:::bucket/"));
        assertTrue(PolicyPattern.of("arn:aws:s3:::${aws:username}", true, true).canMatchStartOf("arn:aws:s3:::bucket/"));
        assertTrue(PolicyPattern.of("arn:aws:s3:::b?cket", true, true).canMatch("arn:aws:s3:::bucket"));
        assertFalse(PolicyPattern.of("arn:aws:s3:::bucket/*", true, true).canMatch("arn:aws:s3:::bucket"));
    }

    @Test
    void aPatternSplitsAtItsLiteralSeparatorsOnly() {
        PolicyPattern pattern = PolicyPattern.of("a:b*:c:d:e:f:g", true, false);
        var parts = pattern.split(':', 6);
        assertEquals(6, parts.size());
        assertTrue(parts.get(1).matches("bxyz", false));
        assertEquals("f:g", parts.get(5).literal());
    }
}
