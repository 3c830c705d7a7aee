package io.github.s3ite.server.access;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every condition operator, its negation, IfExists, the set qualifiers, Null, and variables in values. */
class ConditionTest {

    /**
     * Whether an Allow statement with this Condition block applies to a GetObject whose context has
     * these keys and values (a key given twice has two values).
     */
    private static boolean holds(String condition, String... keys) {
        BucketPolicy policy = BucketPolicy.parse("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::bucket/*\","
                + "\"Condition\":" + condition + "}]}", "bucket");
        Map<String, List<String>> context = new LinkedHashMap<>();
        for (int i = 0; i < keys.length; i += 2) {
            context.computeIfAbsent(keys[i], key -> new ArrayList<>()).add(keys[i + 1]);
        }
        PolicyRequest request = new PolicyRequest(PolicyPrincipal.anonymous(), "s3:GetObject",
                "arn:aws:s3:::bucket/key", context);
        return policy.evaluate(request) == PolicyDecision.ALLOW;
    }

    @Test
    void stringEqualsIsExactAndCaseSensitive() {
        String condition = "{\"StringEquals\":{\"aws:UserAgent\":\"curl/8\"}}";
        assertTrue(holds(condition, "aws:UserAgent", "curl/8"));
        assertFalse(holds(condition, "aws:UserAgent", "Curl/8"));
        assertFalse(holds(condition, "aws:UserAgent", "curl/8.1"));
        assertFalse(holds(condition));
    }

    @Test
    void stringEqualsTakesNoWildcards() {
        assertTrue(holds("{\"StringEquals\":{\"s3:prefix\":\"a*\"}}", "s3:prefix", "a*"));
        assertFalse(holds("{\"StringEquals\":{\"s3:prefix\":\"a*\"}}", "s3:prefix", "ab"));
    }

    @Test
    void stringNotEqualsHoldsWhenNoValueIsEqualAndWhenTheKeyIsMissing() {
        String condition = "{\"StringNotEquals\":{\"s3:x-amz-acl\":[\"public-read\",\"public-read-write\"]}}";
        assertTrue(holds(condition, "s3:x-amz-acl", "private"));
        assertFalse(holds(condition, "s3:x-amz-acl", "public-read"));
        assertFalse(holds(condition, "s3:x-amz-acl", "public-read-write"));
        assertTrue(holds(condition));
    }

    @Test
    void stringEqualsIgnoreCaseAndItsNegationIgnoreCase() {
        assertTrue(holds("{\"StringEqualsIgnoreCase\":{\"aws:UserAgent\":\"CURL\"}}", "aws:UserAgent", "curl"));
        assertFalse(holds("{\"StringEqualsIgnoreCase\":{\"aws:UserAgent\":\"CURL\"}}", "aws:UserAgent", "wget"));
        assertFalse(holds("{\"StringNotEqualsIgnoreCase\":{\"aws:UserAgent\":\"CURL\"}}", "aws:UserAgent", "Curl"));
        assertTrue(holds("{\"StringNotEqualsIgnoreCase\":{\"aws:UserAgent\":\"CURL\"}}", "aws:UserAgent", "wget"));
        assertTrue(holds("{\"StringNotEqualsIgnoreCase\":{\"aws:UserAgent\":\"CURL\"}}"));
    }

    @Test
    void stringLikeMatchesWildcardsAnywhereCaseSensitively() {
        String condition = "{\"StringLike\":{\"aws:Referer\":[\"https://*.example.com/*\",\"http://x?.org\"]}}";
        assertTrue(holds(condition, "aws:Referer", "https://www.example.com/page"));
        assertTrue(holds(condition, "aws:Referer", "http://x1.org"));
        assertFalse(holds(condition, "aws:Referer", "http://x12.org"));
        assertFalse(holds(condition, "aws:Referer", "https://www.EXAMPLE.com/page"));
        assertFalse(holds(condition, "aws:Referer", "https://example.org/"));
        assertFalse(holds(condition));
    }

    @Test
    void stringNotLikeHoldsWhenNoPatternMatches() {
        String condition = "{\"StringNotLike\":{\"aws:Referer\":[\"https://*.example.com/*\",\"https://good.org/*\"]}}";
        assertTrue(holds(condition, "aws:Referer", "https://evil.net/"));
        assertFalse(holds(condition, "aws:Referer", "https://good.org/a"));
        assertFalse(holds(condition, "aws:Referer", "https://a.example.com/b"));
        assertTrue(holds(condition));
    }

    @Test
    void numericOperatorsCompareNumbersNotText() {
        assertTrue(holds("{\"NumericEquals\":{\"s3:max-keys\":\"10\"}}", "s3:max-keys", "10.0"));
        assertFalse(holds("{\"NumericEquals\":{\"s3:max-keys\":\"10\"}}", "s3:max-keys", "9"));
        assertTrue(holds("{\"NumericNotEquals\":{\"s3:max-keys\":[\"10\",\"20\"]}}", "s3:max-keys", "15"));
        assertFalse(holds("{\"NumericNotEquals\":{\"s3:max-keys\":[\"10\",\"20\"]}}", "s3:max-keys", "20"));
        assertTrue(holds("{\"NumericLessThan\":{\"s3:max-keys\":10}}", "s3:max-keys", "9"));
        assertFalse(holds("{\"NumericLessThan\":{\"s3:max-keys\":10}}", "s3:max-keys", "10"));
        assertFalse(holds("{\"NumericLessThan\":{\"s3:max-keys\":10}}", "s3:max-keys", "100"));
        assertTrue(holds("{\"NumericLessThanEquals\":{\"s3:max-keys\":\"10\"}}", "s3:max-keys", "10"));
        assertFalse(holds("{\"NumericLessThanEquals\":{\"s3:max-keys\":\"10\"}}", "s3:max-keys", "11"));
        assertTrue(holds("{\"NumericGreaterThan\":{\"s3:max-keys\":\"1.5\"}}", "s3:max-keys", "2"));
        assertFalse(holds("{\"NumericGreaterThan\":{\"s3:max-keys\":\"1.5\"}}", "s3:max-keys", "1.5"));
        assertTrue(holds("{\"NumericGreaterThanEquals\":{\"s3:max-keys\":\"-1\"}}", "s3:max-keys", "-1"));
        assertFalse(holds("{\"NumericGreaterThanEquals\":{\"s3:max-keys\":\"-1\"}}", "s3:max-keys", "-2"));
    }

    @Test
    void aValueThatIsNotANumberPassesNoNumericTest() {
        assertFalse(holds("{\"NumericLessThan\":{\"s3:max-keys\":\"10\"}}", "s3:max-keys", "ten"));
        assertFalse(holds("{\"NumericGreaterThan\":{\"s3:max-keys\":\"ten\"}}", "s3:max-keys", "5"));
        assertTrue(holds("{\"NumericNotEquals\":{\"s3:max-keys\":\"10\"}}", "s3:max-keys", "ten"));
    }

    @Test
    void dateOperatorsTakeIso8601AndEpochSecondsAlike() {
        String before = "{\"DateLessThan\":{\"aws:CurrentTime\":\"2030-01-01T00:00:00Z\"}}";
        assertTrue(holds(before, "aws:CurrentTime", "2029-12-31T23:59:59Z"));
        assertFalse(holds(before, "aws:CurrentTime", "2030-01-01T00:00:00Z"));
        assertTrue(holds(before, "aws:CurrentTime", "2030-01-01T00:59:59+01:00"));
        assertTrue(holds(before, "aws:CurrentTime", "1893455999"));
        assertFalse(holds(before, "aws:CurrentTime", "1893456000"));
        String epoch = "{\"DateGreaterThanEquals\":{\"aws:EpochTime\":1893456000}}";
        assertTrue(holds(epoch, "aws:EpochTime", "1893456000"));
        assertTrue(holds(epoch, "aws:EpochTime", "2030-01-01T00:00:00.5Z"));
        assertFalse(holds(epoch, "aws:EpochTime", "1893455999"));
        assertTrue(holds("{\"DateEquals\":{\"aws:CurrentTime\":\"2030-01-01\"}}", "aws:CurrentTime", "2030-01-01T00:00:00Z"));
        assertTrue(holds("{\"DateEquals\":{\"aws:CurrentTime\":\"2030-01-01T10:00\"}}", "aws:CurrentTime", "2030-01-01T10:00:00Z"));
        assertTrue(holds("{\"DateNotEquals\":{\"aws:CurrentTime\":\"2030-01-01\"}}", "aws:CurrentTime", "2030-01-02"));
        assertFalse(holds("{\"DateNotEquals\":{\"aws:CurrentTime\":\"2030-01-01\"}}", "aws:CurrentTime", "1893456000"));
        assertTrue(holds("{\"DateLessThanEquals\":{\"aws:CurrentTime\":\"2030-01-01\"}}", "aws:CurrentTime", "2030-01-01"));
        assertTrue(holds("{\"DateGreaterThan\":{\"aws:CurrentTime\":\"2030-01-01\"}}", "aws:CurrentTime", "2030-01-01T00:00:01Z"));
        assertFalse(holds("{\"DateGreaterThan\":{\"aws:CurrentTime\":\"2030-01-01\"}}", "aws:CurrentTime", "not a date"));
    }

    @Test
    void boolComparesTrueAndFalseWithoutRegardToCase() {
        assertTrue(holds("{\"Bool\":{\"aws:SecureTransport\":\"true\"}}", "aws:SecureTransport", "true"));
        assertTrue(holds("{\"Bool\":{\"aws:SecureTransport\":true}}", "aws:SecureTransport", "TRUE"));
        assertFalse(holds("{\"Bool\":{\"aws:SecureTransport\":\"true\"}}", "aws:SecureTransport", "false"));
        assertFalse(holds("{\"Bool\":{\"aws:SecureTransport\":\"false\"}}"));
    }

    @Test
    void binaryEqualsComparesTheBase64Text() {
        assertTrue(holds("{\"BinaryEquals\":{\"aws:Key\":\"QmluYXJ5\"}}", "aws:Key", "QmluYXJ5"));
        assertFalse(holds("{\"BinaryEquals\":{\"aws:Key\":\"QmluYXJ5\"}}", "aws:Key", "QmluYXJ6"));
    }

    @Test
    void ipAddressMatchesIpv4Ranges() {
        String condition = "{\"IpAddress\":{\"aws:SourceIp\":[\"192.0.2.0/24\",\"203.0.113.7\",\"10.1.0.0/15\"]}}";
        assertTrue(holds(condition, "aws:SourceIp", "192.0.2.0"));
        assertTrue(holds(condition, "aws:SourceIp", "192.0.2.255"));
        assertFalse(holds(condition, "aws:SourceIp", "192.0.3.1"));
        assertTrue(holds(condition, "aws:SourceIp", "203.0.113.7"));
        assertFalse(holds(condition, "aws:SourceIp", "203.0.113.8"));
        assertTrue(holds(condition, "aws:SourceIp", "10.0.255.1"));
        assertTrue(holds(condition, "aws:SourceIp", "10.1.0.1"));
        assertFalse(holds(condition, "aws:SourceIp", "10.2.0.1"));
        assertFalse(holds(condition, "aws:SourceIp", "2001:db8::1"));
        assertFalse(holds(condition, "aws:SourceIp", "not an address"));
        assertFalse(holds(condition));
        assertTrue(holds("{\"IpAddress\":{\"aws:SourceIp\":\"0.0.0.0/0\"}}", "aws:SourceIp", "198.51.100.1"));
    }

    @Test
    void ipAddressMatchesIpv6Ranges() {
        String condition = "{\"IpAddress\":{\"aws:SourceIp\":[\"2001:DB8:1234:5678::/64\",\"::1\",\"::ffff:192.0.2.0/120\"]}}";
        assertTrue(holds(condition, "aws:SourceIp", "2001:db8:1234:5678:abcd::1"));
        assertTrue(holds(condition, "aws:SourceIp", "2001:0db8:1234:5678:ffff:ffff:ffff:ffff"));
        assertFalse(holds(condition, "aws:SourceIp", "2001:db8:1234:5679::1"));
        assertTrue(holds(condition, "aws:SourceIp", "0:0:0:0:0:0:0:1"));
        assertTrue(holds(condition, "aws:SourceIp", "::ffff:192.0.2.9"));
        assertFalse(holds(condition, "aws:SourceIp", "192.0.2.9"));
    }

    @Test
    void notIpAddressHoldsOutsideEveryRangeAndWithoutTheKey() {
        String condition = "{\"NotIpAddress\":{\"aws:SourceIp\":[\"192.0.2.0/24\",\"2001:db8::/32\"]}}";
        assertTrue(holds(condition, "aws:SourceIp", "198.51.100.1"));
        assertFalse(holds(condition, "aws:SourceIp", "192.0.2.1"));
        assertFalse(holds(condition, "aws:SourceIp", "2001:db8:ffff::1"));
        assertTrue(holds(condition, "aws:SourceIp", "2001:db9::1"));
        assertTrue(holds(condition));
    }

    @Test
    void aRangeAndAnExceptionFromItTogetherAllowTheRestOfTheRange() {
        String condition = "{\"IpAddress\":{\"aws:SourceIp\":\"54.240.143.0/24\"},"
                + "\"NotIpAddress\":{\"aws:SourceIp\":\"54.240.143.188/32\"}}";
        assertTrue(holds(condition, "aws:SourceIp", "54.240.143.1"));
        assertFalse(holds(condition, "aws:SourceIp", "54.240.143.188"));
    }

    @Test
    void arnOperatorsCompareEachPartWithWildcards() {
        String like = "{\"ArnLike\":{\"aws:SourceArn\":\"arn:aws:cloudfront::111122223333:distribution/*\"}}";
        assertTrue(holds(like, "aws:SourceArn", "arn:aws:cloudfront::111122223333:distribution/EDFDVBD6EXAMPLE"));
        assertFalse(holds(like, "aws:SourceArn", "arn:aws:cloudfront::444455556666:distribution/EDFDVBD6EXAMPLE"));
        assertFalse(holds(like, "aws:SourceArn", "not-an-arn"));
        // a wildcard stays within its part of the ARN
        assertFalse(holds("{\"ArnLike\":{\"aws:SourceArn\":\"arn:aws:*\"}}", "aws:SourceArn", "arn:aws:s3:::bucket"));
        assertTrue(holds("{\"ArnLike\":{\"aws:SourceArn\":\"arn:aws:*:*:*:*\"}}", "aws:SourceArn", "arn:aws:s3:::bucket"));
        // the last part keeps its colons
        assertTrue(holds("{\"ArnEquals\":{\"aws:SourceArn\":\"arn:aws:s3:::bucket/a:b\"}}", "aws:SourceArn", "arn:aws:s3:::bucket/a:b"));
        assertTrue(holds("{\"ArnEquals\":{\"aws:SourceArn\":\"arn:aws:sns:*:111122223333:topic\"}}", "aws:SourceArn",
                "arn:aws:sns:us-east-1:111122223333:topic"));
        assertFalse(holds("{\"ArnEquals\":{\"aws:SourceArn\":\"arn:aws:sns:*:111122223333:topic\"}}", "aws:SourceArn",
                "arn:aws:sns:us-east-1:111122223333:Topic"));
    }

    @Test
    void negatedArnOperatorsHoldWhenNoPatternMatches() {
        String condition = "{\"ArnNotLike\":{\"aws:PrincipalArn\":\"arn:aws:iam::111122223333:user/admin-*\"}}";
        assertTrue(holds(condition, "aws:PrincipalArn", "arn:aws:iam::111122223333:user/alice"));
        assertFalse(holds(condition, "aws:PrincipalArn", "arn:aws:iam::111122223333:user/admin-bob"));
        assertTrue(holds(condition));
        String equals = "{\"ArnNotEquals\":{\"aws:PrincipalArn\":\"arn:aws:iam::111122223333:user/alice\"}}";
        assertFalse(holds(equals, "aws:PrincipalArn", "arn:aws:iam::111122223333:user/alice"));
        assertTrue(holds(equals, "aws:PrincipalArn", "arn:aws:iam::111122223333:user/bob"));
    }

    @Test
    void nullTestsWhetherTheKeyIsMissing() {
        assertTrue(holds("{\"Null\":{\"s3:x-amz-server-side-encryption\":\"true\"}}"));
        assertFalse(holds("{\"Null\":{\"s3:x-amz-server-side-encryption\":\"true\"}}", "s3:x-amz-server-side-encryption", "AES256"));
        assertTrue(holds("{\"Null\":{\"s3:x-amz-server-side-encryption\":false}}", "s3:x-amz-server-side-encryption", "AES256"));
        assertFalse(holds("{\"Null\":{\"s3:x-amz-server-side-encryption\":\"false\"}}"));
    }

    @Test
    void ifExistsHoldsWithoutTheKeyAndTestsTheKeyWhenPresent() {
        String condition = "{\"StringEqualsIfExists\":{\"s3:x-amz-server-side-encryption\":\"AES256\"}}";
        assertTrue(holds(condition));
        assertTrue(holds(condition, "s3:x-amz-server-side-encryption", "AES256"));
        assertFalse(holds(condition, "s3:x-amz-server-side-encryption", "aws:kms"));
        String negated = "{\"StringNotEqualsIfExists\":{\"s3:x-amz-server-side-encryption\":\"AES256\"}}";
        assertTrue(holds(negated));
        assertFalse(holds(negated, "s3:x-amz-server-side-encryption", "AES256"));
        assertTrue(holds("{\"NumericLessThanIfExists\":{\"s3:max-keys\":\"10\"}}"));
        assertFalse(holds("{\"NumericLessThanIfExists\":{\"s3:max-keys\":\"10\"}}", "s3:max-keys", "11"));
        assertTrue(holds("{\"IpAddressIfExists\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}"));
    }

    @Test
    void forAnyValueHoldsWhenSomeRequestValueMatchesAndNotWithoutTheKey() {
        String condition = "{\"ForAnyValue:StringEquals\":{\"s3:RequestObjectTagKeys\":[\"Project\",\"Owner\"]}}";
        assertTrue(holds(condition, "s3:RequestObjectTagKeys", "Owner", "s3:RequestObjectTagKeys", "Other"));
        assertFalse(holds(condition, "s3:RequestObjectTagKeys", "Other", "s3:RequestObjectTagKeys", "Else"));
        assertFalse(holds(condition));
    }

    @Test
    void forAllValuesHoldsWhenEveryRequestValueMatchesAndWithoutTheKey() {
        String condition = "{\"ForAllValues:StringEquals\":{\"s3:RequestObjectTagKeys\":[\"Project\",\"Owner\"]}}";
        assertTrue(holds(condition, "s3:RequestObjectTagKeys", "Owner", "s3:RequestObjectTagKeys", "Project"));
        assertFalse(holds(condition, "s3:RequestObjectTagKeys", "Owner", "s3:RequestObjectTagKeys", "Other"));
        assertTrue(holds(condition));
    }

    @Test
    void setQualifiersApplyANegatedOperatorToEachRequestValue() {
        String all = "{\"ForAllValues:StringNotLike\":{\"s3:RequestObjectTagKeys\":\"secret*\"}}";
        assertTrue(holds(all, "s3:RequestObjectTagKeys", "a", "s3:RequestObjectTagKeys", "b"));
        assertFalse(holds(all, "s3:RequestObjectTagKeys", "a", "s3:RequestObjectTagKeys", "secret-x"));
        String any = "{\"ForAnyValue:StringNotEquals\":{\"s3:RequestObjectTagKeys\":\"a\"}}";
        assertTrue(holds(any, "s3:RequestObjectTagKeys", "a", "s3:RequestObjectTagKeys", "b"));
        assertFalse(holds(any, "s3:RequestObjectTagKeys", "a"));
        assertFalse(holds(any));
    }

    @Test
    void forAllValuesWithIfExistsStillHoldsWithoutTheKey() {
        assertTrue(holds("{\"ForAllValues:StringLikeIfExists\":{\"s3:RequestObjectTagKeys\":\"x*\"}}"));
    }

    @Test
    void withoutAQualifierAKeyWithSeveralValuesNeedsOneToMatchOrNoneForANegation() {
        assertTrue(holds("{\"StringEquals\":{\"aws:Key\":\"b\"}}", "aws:Key", "a", "aws:Key", "b"));
        assertFalse(holds("{\"StringNotEquals\":{\"aws:Key\":\"b\"}}", "aws:Key", "a", "aws:Key", "b"));
        assertTrue(holds("{\"StringNotEquals\":{\"aws:Key\":\"c\"}}", "aws:Key", "a", "aws:Key", "b"));
    }

    @Test
    void severalKeysUnderOneOperatorMustAllHold() {
        String condition = "{\"StringEquals\":{\"s3:prefix\":\"home/\",\"s3:delimiter\":\"/\"}}";
        assertTrue(holds(condition, "s3:prefix", "home/", "s3:delimiter", "/"));
        assertFalse(holds(condition, "s3:prefix", "home/"));
        assertFalse(holds(condition, "s3:prefix", "home/", "s3:delimiter", "-"));
    }

    @Test
    void severalOperatorsMustAllHold() {
        String condition = "{\"StringEquals\":{\"s3:prefix\":\"home/\"},\"Bool\":{\"aws:SecureTransport\":\"true\"}}";
        assertTrue(holds(condition, "s3:prefix", "home/", "aws:SecureTransport", "true"));
        assertFalse(holds(condition, "s3:prefix", "home/", "aws:SecureTransport", "false"));
        assertFalse(holds(condition, "s3:prefix", "work/", "aws:SecureTransport", "true"));
    }

    @Test
    void anEmptyConditionBlockAlwaysHolds() {
        assertTrue(holds("{}"));
    }

    @Test
    void conditionKeyNamesAreCaseInsensitive() {
        assertTrue(holds("{\"Bool\":{\"AWS:SECURETRANSPORT\":\"true\"}}", "aws:SecureTransport", "true"));
        assertTrue(holds("{\"Bool\":{\"aws:securetransport\":\"true\"}}", "Aws:SecureTransport", "true"));
    }

    @Test
    void conditionValuesAreCaseSensitiveWhereTheOperatorIs() {
        assertFalse(holds("{\"StringEquals\":{\"s3:prefix\":\"Home/\"}}", "s3:prefix", "home/"));
    }

    @Test
    void variablesInStringValuesStandForTheRequestsKeys() {
        String condition = "{\"StringLike\":{\"s3:prefix\":[\"home/${aws:username}/*\",\"home/${aws:username}\"]}}";
        assertTrue(holds(condition, "s3:prefix", "home/alice/docs", "aws:username", "alice"));
        assertTrue(holds(condition, "s3:prefix", "home/alice", "aws:username", "alice"));
        assertFalse(holds(condition, "s3:prefix", "home/bob/docs", "aws:username", "alice"));
        assertFalse(holds(condition, "s3:prefix", "home/alice/docs"));
        assertTrue(holds("{\"StringEquals\":{\"aws:userid\":\"${aws:userid}\"}}", "aws:userid", "AIDAEXAMPLE"));
    }

    @Test
    void aValueWhoseVariableHasNoValueMatchesNothingSoItsNegationHolds() {
        assertFalse(holds("{\"StringEquals\":{\"s3:prefix\":\"${aws:username}\"}}", "s3:prefix", ""));
        assertTrue(holds("{\"StringNotEquals\":{\"s3:prefix\":\"${aws:username}\"}}", "s3:prefix", "x"));
    }

    @Test
    void variablesInArnValuesAreResolved() {
        assertTrue(holds("{\"ArnEquals\":{\"aws:PrincipalArn\":\"arn:aws:iam::111122223333:user/${aws:username}\"}}",
                "aws:PrincipalArn", "arn:aws:iam::111122223333:user/alice", "aws:username", "alice"));
    }

    @Test
    void numericAndIpValuesTakeNoVariables() {
        assertFalse(holds("{\"NumericEquals\":{\"s3:max-keys\":\"${aws:EpochTime}\"}}", "s3:max-keys", "5",
                "aws:EpochTime", "5"));
    }

    @Test
    void variablesInConditionValuesAreTextUnderVersion2008() {
        BucketPolicy policy = BucketPolicy.parse("{\"Version\":\"2008-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Principal\":\"*\",\"Action\":\"s3:ListBucket\",\"Resource\":\"arn:aws:s3:::bucket\","
                + "\"Condition\":{\"StringEquals\":{\"s3:prefix\":\"${aws:username}\"}}}]}", "bucket");
        PolicyRequest literal = new PolicyRequest(PolicyPrincipal.anonymous(), "s3:ListBucket", "arn:aws:s3:::bucket",
                Map.of("s3:prefix", List.of("${aws:username}"), "aws:username", List.of("alice")));
        PolicyRequest resolved = new PolicyRequest(PolicyPrincipal.anonymous(), "s3:ListBucket", "arn:aws:s3:::bucket",
                Map.of("s3:prefix", List.of("alice"), "aws:username", List.of("alice")));
        assertTrue(policy.evaluate(literal) == PolicyDecision.ALLOW);
        assertTrue(policy.evaluate(resolved) == PolicyDecision.NONE);
    }

    @Test
    void anEmptyListOfRequestValuesIsAMissingKey() {
        BucketPolicy policy = BucketPolicy.parse("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::bucket/*\","
                + "\"Condition\":{\"Null\":{\"s3:x-amz-acl\":\"true\"}}}]}", "bucket");
        assertTrue(policy.evaluate(new PolicyRequest(PolicyPrincipal.anonymous(), "s3:GetObject", "arn:aws:s3:::bucket/k",
                Map.of("s3:x-amz-acl", List.of()))) == PolicyDecision.ALLOW);
    }
}
