package io.github.s3ite.server.access;

import static io.github.s3ite.server.access.PolicyDecision.ALLOW;
import static io.github.s3ite.server.access.PolicyDecision.DENY;
import static io.github.s3ite.server.access.PolicyDecision.NONE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a policy says about a request: statements, principals, actions, resources and variables. */
class BucketPolicyEvaluateTest {
    private static final PolicyPrincipal ANONYMOUS = PolicyPrincipal.anonymous();
    private static final PolicyPrincipal ALICE = new PolicyPrincipal("111122223333",
            "arn:aws:iam::111122223333:user/alice", "a11ce");
    private static final PolicyPrincipal BOB = new PolicyPrincipal("111122223333",
            "arn:aws:iam::111122223333:user/bob", "b0b");
    private static final PolicyPrincipal CAROL = new PolicyPrincipal("444455556666",
            "arn:aws:iam::444455556666:user/carol", "ca201");

    private static BucketPolicy policy(String... statements) {
        return BucketPolicy.parse("{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}",
                "bucket");
    }

    private static String statement(String effect, String principal, String action, String resource) {
        return "{\"Effect\":\"" + effect + "\",\"Principal\":" + principal + ",\"Action\":" + action
                + ",\"Resource\":" + resource + "}";
    }

    private static PolicyRequest request(PolicyPrincipal who, String action, String resource) {
        return new PolicyRequest(who, action, "arn:aws:s3:::" + resource);
    }

    private static PolicyRequest request(PolicyPrincipal who, String action, String resource, String... keys) {
        Map<String, List<String>> context = new HashMap<>();
        for (int i = 0; i < keys.length; i += 2) {
            context.computeIfAbsent(keys[i], key -> new ArrayList<>()).add(keys[i + 1]);
        }
        return new PolicyRequest(who, action, "arn:aws:s3:::" + resource, context);
    }

    @Test
    void anAllowThatAppliesAllows() {
        BucketPolicy policy = policy(statement("Allow", "\"*\"", "\"s3:GetObject\"", "\"arn:aws:s3:::bucket/*\""));
        assertEquals(ALLOW, policy.evaluate(request(ANONYMOUS, "s3:GetObject", "bucket/key")));
    }

    @Test
    void aRequestNoStatementAppliesToGetsNoDecision() {
        BucketPolicy policy = policy(statement("Allow", "\"*\"", "\"s3:GetObject\"", "\"arn:aws:s3:::bucket/public/*\""));
        assertEquals(NONE, policy.evaluate(request(ANONYMOUS, "s3:GetObject", "bucket/private/key")));
        assertEquals(NONE, policy.evaluate(request(ANONYMOUS, "s3:PutObject", "bucket/public/key")));
        assertEquals(NONE, policy.evaluate(request(ANONYMOUS, "s3:ListBucket", "bucket")));
    }

    @Test
    void anExplicitDenyWinsOverAnyAllowWhateverTheOrder() {
        String allow = statement("Allow", "\"*\"", "\"s3:*\"", "[\"arn:aws:s3:::bucket\",\"arn:aws:s3:::bucket/*\"]");
        String deny = statement("Deny", "\"*\"", "\"s3:DeleteObject\"", "\"arn:aws:s3:::bucket/*\"");
        for (BucketPolicy policy : List.of(policy(allow, deny), policy(deny, allow))) {
            assertEquals(DENY, policy.evaluate(request(ALICE, "s3:DeleteObject", "bucket/key")));
            assertEquals(ALLOW, policy.evaluate(request(ALICE, "s3:GetObject", "bucket/key")));
        }
    }

    @Test
    void aDenyAloneDeniesWhatItNamesAndSaysNothingOfTheRest() {
        BucketPolicy policy = policy(statement("Deny", "{\"AWS\":\"*\"}", "\"s3:PutObject\"", "\"arn:aws:s3:::bucket/*\""));
        assertEquals(DENY, policy.evaluate(request(ALICE, "s3:PutObject", "bucket/key")));
        assertEquals(NONE, policy.evaluate(request(ALICE, "s3:GetObject", "bucket/key")));
    }

    @Test
    void aStarPrincipalNamesAnonymousAndSignedRequestersAlike() {
        for (String everyone : List.of("\"*\"", "{\"AWS\":\"*\"}", "{\"AWS\":[\"*\"]}")) {
            BucketPolicy policy = policy(statement("Allow", everyone, "\"s3:GetObject\"", "\"arn:aws:s3:::bucket/*\""));
            for (PolicyPrincipal who : List.of(ANONYMOUS, ALICE, CAROL)) {
                assertEquals(ALLOW, policy.evaluate(request(who, "s3:GetObject", "bucket/key")), everyone);
            }
        }
    }

    @Test
    void anAccountPrincipalNamesEveryoneInThatAccountButNotTheAnonymousRequester() {
        for (String account : List.of("\"111122223333\"", "\"arn:aws:iam::111122223333:root\"")) {
            BucketPolicy policy = policy(statement("Allow", "{\"AWS\":" + account + "}", "\"s3:GetObject\"",
                    "\"arn:aws:s3:::bucket/*\""));
            assertEquals(ALLOW, policy.evaluate(request(ALICE, "s3:GetObject", "bucket/key")));
            assertEquals(ALLOW, policy.evaluate(request(BOB, "s3:GetObject", "bucket/key")));
            assertEquals(NONE, policy.evaluate(request(CAROL, "s3:GetObject", "bucket/key")));
            assertEquals(NONE, policy.evaluate(request(ANONYMOUS, "s3:GetObject", "bucket/key")));
        }
    }

    @Test
    void aUserArnPrincipalNamesThatUserOnly() {
        BucketPolicy policy = policy(statement("Allow", "{\"AWS\":[\"arn:aws:iam::111122223333:user/alice\"]}",
                "\"s3:GetObject\"", "\"arn:aws:s3:::bucket/*\""));
        assertEquals(ALLOW, policy.evaluate(request(ALICE, "s3:GetObject", "bucket/key")));
        assertEquals(NONE, policy.evaluate(request(BOB, "s3:GetObject", "bucket/key")));
        assertEquals(NONE, policy.evaluate(request(ANONYMOUS, "s3:GetObject", "bucket/key")));
    }

    @Test
    void aCanonicalUserPrincipalNamesThatCanonicalId() {
        BucketPolicy policy = policy(statement("Allow", "{\"CanonicalUser\":\"b0b\"}", "\"s3:GetObject\"",
                "\"arn:aws:s3:::bucket/*\""));
        assertEquals(ALLOW, policy.evaluate(request(BOB, "s3:GetObject", "bucket/key")));
        assertEquals(NONE, policy.evaluate(request(ALICE, "s3:GetObject", "bucket/key")));
    }

    @Test
    void aServicePrincipalNamesNoUserAndNoAnonymousRequester() {
        BucketPolicy policy = policy(statement("Allow", "{\"Service\":\"cloudfront.amazonaws.com\"}",
                "\"s3:GetObject\"", "\"arn:aws:s3:::bucket/*\""));
        assertEquals(NONE, policy.evaluate(request(ALICE, "s3:GetObject", "bucket/key")));
        assertEquals(NONE, policy.evaluate(request(ANONYMOUS, "s3:GetObject", "bucket/key")));
    }

    @Test
    void severalPrincipalsAreAlternatives() {
        BucketPolicy policy = policy(statement("Allow", "{\"AWS\":\"444455556666\",\"CanonicalUser\":[\"x\",\"b0b\"]}",
                "\"s3:GetObject\"", "\"arn:aws:s3:::bucket/*\""));
        assertEquals(ALLOW, policy.evaluate(request(CAROL, "s3:GetObject", "bucket/key")));
        assertEquals(ALLOW, policy.evaluate(request(BOB, "s3:GetObject", "bucket/key")));
        assertEquals(NONE, policy.evaluate(request(ALICE, "s3:GetObject", "bucket/key")));
    }

    @Test
    void notPrincipalDeniesEveryoneButThePrincipalsItNames() {
        BucketPolicy policy = policy(
                statement("Allow", "\"*\"", "\"s3:GetObject\"", "\"arn:aws:s3:::bucket/*\""),
                "{\"Effect\":\"Deny\",\"NotPrincipal\":{\"AWS\":\"arn:aws:iam::111122223333:user/alice\"},"
                        + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::bucket/secret/*\"}");
        assertEquals(ALLOW, policy.evaluate(request(ALICE, "s3:GetObject", "bucket/secret/key")));
        assertEquals(DENY, policy.evaluate(request(BOB, "s3:GetObject", "bucket/secret/key")));
        assertEquals(DENY, policy.evaluate(request(ANONYMOUS, "s3:GetObject", "bucket/secret/key")));
        assertEquals(ALLOW, policy.evaluate(request(BOB, "s3:GetObject", "bucket/open/key")));
    }

    @Test
    void actionsMatchWithWildcardsAndWithoutRegardToCase() {
        BucketPolicy policy = policy(statement("Allow", "\"*\"", "[\"s3:Get*\",\"S3:LISTBUCKET\",\"s3:?utObject\"]",
                "[\"arn:aws:s3:::bucket\",\"arn:aws:s3:::bucket/*\"]"));
        assertEquals(ALLOW, policy.evaluate(request(ANONYMOUS, "s3:GetObject", "bucket/key")));
        assertEquals(ALLOW, policy.evaluate(request(ANONYMOUS, "s3:GetObjectTagging", "bucket/key")));
        assertEquals(ALLOW, policy.evaluate(request(ANONYMOUS, "s3:GetBucketAcl", "bucket")));
        assertEquals(ALLOW, policy.evaluate(request(ANONYMOUS, "s3:ListBucket", "bucket")));
        assertEquals(ALLOW, policy.evaluate(request(ANONYMOUS, "S3:getobject", "bucket/key")));
        assertEquals(ALLOW, policy.evaluate(request(ANONYMOUS, "s3:PutObject", "bucket/key")));
        assertEquals(NONE, policy.evaluate(request(ANONYMOUS, "s3:PutObjectAcl", "bucket/key")));
        assertEquals(NONE, policy.evaluate(request(ANONYMOUS, "s3:ListBucketVersions", "bucket")));
        assertEquals(NONE, policy.evaluate(request(ANONYMOUS, "s3:DeleteObject", "bucket/key")));
    }

    @Test
    void starAloneIsEveryAction() {
        BucketPolicy policy = policy(statement("Allow", "\"*\"", "\"*\"", "\"arn:aws:s3:::bucket/*\""));
        assertEquals(ALLOW, policy.evaluate(request(ANONYMOUS, "s3:DeleteObjectVersion", "bucket/key")));
    }

    @Test
    void notActionAppliesToEveryActionItDoesNotName() {
        BucketPolicy policy = policy("{\"Effect\":\"Deny\",\"Principal\":\"*\",\"NotAction\":[\"s3:Get*\",\"s3:ListBucket\"],"
                + "\"Resource\":[\"arn:aws:s3:::bucket\",\"arn:aws:s3:::bucket/*\"]}");
        assertEquals(DENY, policy.evaluate(request(ALICE, "s3:PutObject", "bucket/key")));
        assertEquals(DENY, policy.evaluate(request(ALICE, "s3:DeleteBucket", "bucket")));
        assertEquals(NONE, policy.evaluate(request(ALICE, "s3:GetObject", "bucket/key")));
        assertEquals(NONE, policy.evaluate(request(ALICE, "s3:ListBucket", "bucket")));
    }

    @Test
    void resourcesMatchWithWildcardsAcrossSlashesAndCaseSensitively() {
        BucketPolicy policy = policy(statement("Allow", "\"*\"", "\"s3:GetObject\"",
                "[\"arn:aws:s3:::bucket/*/test/*\",\"arn:aws:s3:::bucket/img?.png\"]"));
        assertEquals(ALLOW, policy.evaluate(request(ANONYMOUS, "s3:GetObject", "bucket/1///test///object.jpg")));
        assertEquals(ALLOW, policy.evaluate(request(ANONYMOUS, "s3:GetObject", "bucket//test/object.jpg")));
        assertEquals(ALLOW, policy.evaluate(request(ANONYMOUS, "s3:GetObject", "bucket/1/test/")));
        assertEquals(NONE, policy.evaluate(request(ANONYMOUS, "s3:GetObject", "bucket/1-test/object.jpg")));
        assertEquals(NONE, policy.evaluate(request(ANONYMOUS, "s3:GetObject", "bucket/test/object.jpg")));
        assertEquals(NONE, policy.evaluate(request(ANONYMOUS, "s3:GetObject", "bucket/1/2/test.jpg")));
        assertEquals(ALLOW, policy.evaluate(request(ANONYMOUS, "s3:GetObject", "bucket/img1.png")));
        assertEquals(NONE, policy.evaluate(request(ANONYMOUS, "s3:GetObject", "bucket/img10.png")));
        assertEquals(NONE, policy.evaluate(request(ANONYMOUS, "s3:GetObject", "bucket/IMG1.png")));
    }

    @Test
    void anObjectResourceDoesNotCoverTheBucketNorTheBucketItsObjects() {
        BucketPolicy policy = policy(
                statement("Allow", "\"*\"", "\"s3:*\"", "\"arn:aws:s3:::bucket\""),
                statement("Deny", "\"*\"", "\"s3:*\"", "\"arn:aws:s3:::bucket/*\""));
        assertEquals(ALLOW, policy.evaluate(request(ANONYMOUS, "s3:ListBucket", "bucket")));
        assertEquals(DENY, policy.evaluate(request(ANONYMOUS, "s3:GetObject", "bucket/key")));
    }

    @Test
    void aKeyWithColonsAndSpecialCharactersIsMatchedAsText() {
        BucketPolicy policy = policy(statement("Allow", "\"*\"", "\"s3:GetObject\"", "\"arn:aws:s3:::bucket/a:b/[c]+$.txt\""));
        assertEquals(ALLOW, policy.evaluate(request(ANONYMOUS, "s3:GetObject", "bucket/a:b/[c]+$.txt")));
        assertEquals(NONE, policy.evaluate(request(ANONYMOUS, "s3:GetObject", "bucket/a:b/c+$.txt")));
    }

    @Test
    void notResourceAppliesToEveryResourceItDoesNotName() {
        BucketPolicy policy = policy("{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\","
                + "\"NotResource\":[\"arn:aws:s3:::bucket/public/*\"]}");
        assertEquals(DENY, policy.evaluate(request(ANONYMOUS, "s3:GetObject", "bucket/private/key")));
        assertEquals(NONE, policy.evaluate(request(ANONYMOUS, "s3:GetObject", "bucket/public/key")));
    }

    @Test
    void aUsernameVariableInAResourceStandsForTheRequestersName() {
        BucketPolicy policy = policy(statement("Allow", "{\"AWS\":\"111122223333\"}", "\"s3:*\"",
                "\"arn:aws:s3:::bucket/home/${aws:username}/*\""));
        assertEquals(ALLOW, policy.evaluate(request(ALICE, "s3:PutObject", "bucket/home/alice/notes.txt",
                "aws:username", "alice")));
        assertEquals(NONE, policy.evaluate(request(ALICE, "s3:PutObject", "bucket/home/bob/notes.txt",
                "aws:username", "alice")));
        // a name is text: a wildcard in it matches only itself
        assertEquals(NONE, policy.evaluate(request(ALICE, "s3:PutObject", "bucket/home/bob/notes.txt",
                "aws:username", "*")));
    }

    @Test
    void aVariableWithoutValueMatchesNoResource() {
        BucketPolicy policy = policy(statement("Allow", "\"*\"", "\"s3:GetObject\"", "\"arn:aws:s3:::bucket/home/${aws:username}/*\""));
        assertEquals(NONE, policy.evaluate(request(ANONYMOUS, "s3:GetObject", "bucket/home//x")));
        assertEquals(NONE, policy.evaluate(request(ANONYMOUS, "s3:GetObject", "bucket/home/${aws:username}/x")));
    }

    @Test
    void aVariableOfAKeyWithSeveralValuesHasNoValue() {
        BucketPolicy policy = policy(statement("Allow", "\"*\"", "\"s3:GetObject\"", "\"arn:aws:s3:::bucket/${aws:userid}/*\""));
        assertEquals(NONE, policy.evaluate(request(ANONYMOUS, "s3:GetObject", "bucket/a/x", "aws:userid", "a",
                "aws:userid", "b")));
        assertEquals(ALLOW, policy.evaluate(request(ANONYMOUS, "s3:GetObject", "bucket/a/x", "aws:userid", "a")));
    }

    @Test
    void variableNamesAreCaseInsensitive() {
        BucketPolicy policy = policy(statement("Allow", "\"*\"", "\"s3:GetObject\"", "\"arn:aws:s3:::bucket/${AWS:UserName}/*\""));
        assertEquals(ALLOW, policy.evaluate(request(ALICE, "s3:GetObject", "bucket/alice/x", "aws:username", "alice")));
        assertEquals(ALLOW, policy.evaluate(request(ALICE, "s3:GetObject", "bucket/alice/x", "AWS:USERNAME", "alice")));
    }

    @Test
    void aVariableMayHaveADefaultValue() {
        BucketPolicy policy = policy(statement("Allow", "\"*\"", "\"s3:GetObject\"",
                "\"arn:aws:s3:::bucket/home/${aws:username, 'guest'}/*\""));
        assertEquals(ALLOW, policy.evaluate(request(ANONYMOUS, "s3:GetObject", "bucket/home/guest/x")));
        assertEquals(ALLOW, policy.evaluate(request(ALICE, "s3:GetObject", "bucket/home/alice/x", "aws:username", "alice")));
        assertEquals(NONE, policy.evaluate(request(ALICE, "s3:GetObject", "bucket/home/guest/x", "aws:username", "alice")));
    }

    @Test
    void specialCharacterVariablesStandForTheCharactersThemselves() {
        BucketPolicy policy = policy(statement("Allow", "\"*\"", "\"s3:GetObject\"",
                "\"arn:aws:s3:::bucket/${*}${?}${$}/*\""));
        assertEquals(ALLOW, policy.evaluate(request(ANONYMOUS, "s3:GetObject", "bucket/*?$/x")));
        assertEquals(NONE, policy.evaluate(request(ANONYMOUS, "s3:GetObject", "bucket/ab$/x")));
    }

    @Test
    void underVersion2008VariablesAreText() {
        BucketPolicy policy = BucketPolicy.parse("{\"Version\":\"2008-10-17\",\"Statement\":[" + statement("Allow", "\"*\"",
                "\"s3:GetObject\"", "\"arn:aws:s3:::bucket/${aws:username}/*\"") + "]}", "bucket");
        assertEquals(ALLOW, policy.evaluate(request(ALICE, "s3:GetObject", "bucket/${aws:username}/x",
                "aws:username", "alice")));
        assertEquals(NONE, policy.evaluate(request(ALICE, "s3:GetObject", "bucket/alice/x", "aws:username", "alice")));
    }

    @Test
    void aPolicyWithoutVersionIsVersion2008() {
        BucketPolicy policy = BucketPolicy.parse("{\"Statement\":[" + statement("Allow", "\"*\"",
                "\"s3:GetObject\"", "\"arn:aws:s3:::bucket/${aws:username}/*\"") + "]}", "bucket");
        assertEquals(NONE, policy.evaluate(request(ALICE, "s3:GetObject", "bucket/alice/x", "aws:username", "alice")));
    }

    @Test
    void aStatementAppliesOnlyWhenPrincipalActionResourceAndConditionsAllDo() {
        BucketPolicy policy = policy("{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"444455556666\"},"
                + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::bucket/shared/*\","
                + "\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"true\"}}}");
        assertEquals(ALLOW, policy.evaluate(request(CAROL, "s3:GetObject", "bucket/shared/x", "aws:SecureTransport", "true")));
        assertEquals(NONE, policy.evaluate(request(ALICE, "s3:GetObject", "bucket/shared/x", "aws:SecureTransport", "true")));
        assertEquals(NONE, policy.evaluate(request(CAROL, "s3:PutObject", "bucket/shared/x", "aws:SecureTransport", "true")));
        assertEquals(NONE, policy.evaluate(request(CAROL, "s3:GetObject", "bucket/other/x", "aws:SecureTransport", "true")));
        assertEquals(NONE, policy.evaluate(request(CAROL, "s3:GetObject", "bucket/shared/x", "aws:SecureTransport", "false")));
    }

    @Test
    void theCommonDenyOfInsecureTransportDeniesPlainHttpOnly() {
        BucketPolicy policy = policy(
                statement("Allow", "\"*\"", "\"s3:GetObject\"", "\"arn:aws:s3:::bucket/*\""),
                "{\"Sid\":\"AllowSSLRequestsOnly\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\","
                        + "\"Resource\":[\"arn:aws:s3:::bucket\",\"arn:aws:s3:::bucket/*\"],"
                        + "\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}");
        assertEquals(DENY, policy.evaluate(request(ALICE, "s3:GetObject", "bucket/x", "aws:SecureTransport", "false")));
        assertEquals(ALLOW, policy.evaluate(request(ALICE, "s3:GetObject", "bucket/x", "aws:SecureTransport", "true")));
    }

    @Test
    void aListingConfinedToAPrefixAllowsOnlyThatPrefix() {
        BucketPolicy policy = policy("{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:ListBucket\","
                + "\"Resource\":\"arn:aws:s3:::bucket\",\"Condition\":{\"StringLike\":{\"s3:prefix\":[\"public/*\",\"\"]}}}");
        assertEquals(ALLOW, policy.evaluate(request(ANONYMOUS, "s3:ListBucket", "bucket", "s3:prefix", "public/a")));
        assertEquals(ALLOW, policy.evaluate(request(ANONYMOUS, "s3:ListBucket", "bucket", "s3:prefix", "")));
        assertEquals(NONE, policy.evaluate(request(ANONYMOUS, "s3:ListBucket", "bucket", "s3:prefix", "private/")));
        assertEquals(NONE, policy.evaluate(request(ANONYMOUS, "s3:ListBucket", "bucket")));
    }

    @Test
    void aReadOfObjectsTaggedPublicIsAllowedByTheirTag() {
        BucketPolicy policy = policy("{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"arn:aws:s3:::bucket/*\","
                + "\"Condition\":{\"StringEquals\":{\"s3:ExistingObjectTag/security\":\"public\"}}}");
        assertEquals(ALLOW, policy.evaluate(request(ANONYMOUS, "s3:GetObject", "bucket/x", "s3:ExistingObjectTag/security", "public")));
        assertEquals(ALLOW, policy.evaluate(request(ANONYMOUS, "s3:GetObject", "bucket/x", "S3:existingobjecttag/security", "public")));
        assertEquals(NONE, policy.evaluate(request(ANONYMOUS, "s3:GetObject", "bucket/x", "s3:ExistingObjectTag/Security", "public")));
        assertEquals(NONE, policy.evaluate(request(ANONYMOUS, "s3:GetObject", "bucket/x", "s3:ExistingObjectTag/security", "private")));
        assertEquals(NONE, policy.evaluate(request(ANONYMOUS, "s3:GetObject", "bucket/x")));
    }

    @Test
    void aDenyOfPublicCannedAclsRefusesThem() {
        BucketPolicy policy = policy(
                statement("Allow", "\"*\"", "\"s3:PutObject\"", "\"arn:aws:s3:::bucket/*\""),
                "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::bucket/*\","
                        + "\"Condition\":{\"StringLike\":{\"s3:x-amz-acl\":\"public*\"}}}");
        assertEquals(DENY, policy.evaluate(request(ALICE, "s3:PutObject", "bucket/x", "s3:x-amz-acl", "public-read")));
        assertEquals(ALLOW, policy.evaluate(request(ALICE, "s3:PutObject", "bucket/x", "s3:x-amz-acl", "private")));
        assertEquals(ALLOW, policy.evaluate(request(ALICE, "s3:PutObject", "bucket/x")));
    }

    @Test
    void aRequestRecordCopiesItsConditionKeys() {
        Map<String, List<String>> keys = new HashMap<>();
        keys.put("s3:prefix", new ArrayList<>(List.of("a")));
        PolicyRequest request = new PolicyRequest(ANONYMOUS, "s3:ListBucket", "arn:aws:s3:::bucket", keys);
        keys.get("s3:prefix").add("b");
        keys.put("s3:delimiter", List.of("/"));
        assertEquals(Map.of("s3:prefix", List.of("a")), request.conditionKeys());
        assertThrows(UnsupportedOperationException.class, () -> request.conditionKeys().put("x", List.of()));
        assertEquals(Map.of(), new PolicyRequest(ANONYMOUS, "s3:ListBucket", "arn:aws:s3:::bucket", null).conditionKeys());
    }

    @Test
    void theAnonymousPrincipalHasNoIdentity() {
        assertTrue(PolicyPrincipal.anonymous().isAnonymous());
        assertFalse(ALICE.isAnonymous());
        assertTrue(new PolicyPrincipal(null, null, null).isAnonymous());
    }

    @Test
    void aPolicyIsReusableAcrossRequests() {
        BucketPolicy policy = policy(statement("Allow", "\"*\"", "\"s3:GetObject\"", "\"arn:aws:s3:::bucket/${aws:username}/*\""));
        for (int i = 0; i < 3; i++) {
            assertEquals(ALLOW, policy.evaluate(request(ALICE, "s3:GetObject", "bucket/alice/x", "aws:username", "alice")));
            assertEquals(NONE, policy.evaluate(request(BOB, "s3:GetObject", "bucket/alice/x", "aws:username", "bob")));
        }
    }
}
