package io.github.s3ite.server.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** How PutBucketPolicy's document is checked: what S3 refuses, with S3's messages, and what it takes. */
class BucketPolicyParseTest {
    private static final String BUCKET = "bucket";

    /** A statement with these members, in a 2012-10-17 policy. */
    private static String policy(String statement) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{" + statement + "}]}";
    }

    private static String refusal(String json) {
        S3Exception e = assertThrows(S3Exception.class, () -> BucketPolicy.parse(json, BUCKET));
        assertEquals(S3ErrorCode.MALFORMED_POLICY, e.error());
        assertEquals(400, e.error().httpStatus());
        return e.getMessage();
    }

    private static void accepted(String json) {
        BucketPolicy.parse(json, BUCKET);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "invalid json", " {\"Statement\":[]}", "[{}]", "\"{}\""})
    void aDocumentThatDoesNotStartWithABraceIsNotJson(String json) {
        assertEquals("Policies must be valid JSON and the first byte must be '{'", refusal(json));
    }

    @Test
    void aNullDocumentIsNotJson() {
        assertEquals("Policies must be valid JSON and the first byte must be '{'", refusal(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "{\"Statement\":}", "{'Statement':[]}", "{\"Statement\":[]} trailing",
        "{\"Statement\":[],\"Statement\":[]}", "{\"a\":1,}"})
    void aDocumentThatStartsWithABraceButIsNotJsonIsInvalidJson(String json) {
        assertEquals("This policy contains invalid Json", refusal(json));
    }

    @Test
    void aDocumentLargerThan20KilobytesNormalizedIsRefused() {
        String statement = "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"arn:aws:s3:::bucket/%s\"}";
        StringBuilder statements = new StringBuilder();
        int i = 0;
        while (statements.length() < 20480) {
            statements.append(i == 0 ? "" : ",").append(statement.formatted("key" + i++));
        }
        assertEquals("Normalized policy document exceeds the maximum allowed size of 20480 bytes",
                refusal("{\"Statement\":[" + statements + "]}"));
    }

    @Test
    void whitespaceDoesNotCountTowardsTheSizeLimit() {
        String padding = " ".repeat(30_000);
        accepted("{" + padding + "\"Statement\":" + padding + "{\"Effect\":\"Allow\",\"Principal\":\"*\","
                + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::bucket/*\"}}");
    }

    @Test
    void aDocumentWithoutStatementIsRefused() {
        assertEquals("Missing required field Statement", refusal("{}"));
        assertEquals("Missing required field Statement", refusal("{\"Version\":\"2012-10-17\"}"));
    }

    @Test
    void anEmptyStatementListIsRefused() {
        assertEquals("Could not parse the policy: Statement is empty!", refusal("{\"Statement\":[]}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"Statement\":\"x\"}", "{\"Statement\":[\"x\"]}", "{\"Statement\":null}",
        "{\"Statement\":{\"Effect\":\"Allow\"},\"Id\":5}"})
    void aStatementThatIsNotAnObjectIsInvalidSyntax(String json) {
        assertEquals("Invalid policy syntax.", refusal(json));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2012-10-18", "2012", "", "1"})
    void aVersionOtherThanTheTwoIamKnowsIsRefused(String version) {
        assertEquals("The policy must contain a valid version string",
                refusal("{\"Version\":\"" + version + "\",\"Statement\":[]}"));
    }

    @Test
    void aVersionThatIsNotAStringIsRefused() {
        assertEquals("The policy must contain a valid version string", refusal("{\"Version\":2012,\"Statement\":[]}"));
    }

    @Test
    void bothVersionsAndNoVersionAreTaken() {
        String statement = "\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"arn:aws:s3:::bucket/*\"}";
        accepted("{\"Version\":\"2012-10-17\"," + statement + "}");
        accepted("{\"Version\":\"2008-10-17\"," + statement + "}");
        accepted("{" + statement + "}");
    }

    @Test
    void anIdAndSidsAreTaken() {
        accepted("{\"Id\":\"Policy1\",\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Public read\","
                + "\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"arn:aws:s3:::bucket/*\"}]}");
    }

    @Test
    void anUnknownFieldIsRefusedByName() {
        assertEquals("Unknown field Statements", refusal("{\"Statements\":[]}"));
        assertEquals("Unknown field condition", refusal(policy("\"Effect\":\"Allow\",\"Principal\":\"*\","
                + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::bucket/*\",\"condition\":{}")));
    }

    @Test
    void aStatementWithoutEffectIsRefused() {
        assertEquals("Missing required field Effect",
                refusal(policy("\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::bucket/*\"")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"allow", "DENY", "Permit"})
    void anEffectOtherThanAllowOrDenyIsRefusedCaseSensitively(String effect) {
        assertEquals("Invalid effect: " + effect, refusal(policy("\"Effect\":\"" + effect + "\",\"Principal\":\"*\","
                + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::bucket/*\"")));
    }

    @Test
    void aStatementWithoutPrincipalIsRefused() {
        assertEquals("Missing required field Principal",
                refusal(policy("\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::bucket/*\"")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"\"", "{}", "{\"AWS\":[]}", "{\"AWS\":\"\"}"})
    void anEmptyPrincipalIsRefused(String principal) {
        assertEquals("Missing required field Principal cannot be empty!", refusal(policy("\"Effect\":\"Allow\","
                + "\"Principal\":" + principal + ",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::bucket/*\"")));
    }

    @Test
    void aPrincipalWrittenAsABareStringOtherThanStarIsInvalidSyntax() {
        assertEquals("Invalid policy syntax.", refusal(policy("\"Effect\":\"Allow\","
                + "\"Principal\":\"arn:aws:iam::111122223333:root\",\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"arn:aws:s3:::bucket/*\"")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"AWS\":\"alice\"}", "{\"AWS\":\"1111222233\"}", "{\"AWS\":\"arn:aws:iam::s3tenant1:root\"}",
        "{\"AWS\":\"arn:aws:iam::111122223333:user/*\"}", "{\"AWS\":\"arn:aws:iam::*:root\"}",
        "{\"AWS\":\"arn:aws:s3:::bucket\"}", "{\"AWS\":[\"111122223333\",\"nobody\"]}", "{\"Federated\":\"cognito\"}",
        "{\"Everyone\":\"*\"}", "{\"Service\":\"*\"}", "{\"CanonicalUser\":\"abc*\"}", "{\"AWS\":5}",
        "{\"AWS\":{\"x\":\"y\"}}"})
    void anAwsPrincipalThatIsNeitherAnAccountNorAnArnIsAnInvalidPrincipal(String principal) {
        assertEquals("Invalid principal in policy", refusal(policy("\"Effect\":\"Allow\",\"Principal\":" + principal
                + ",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::bucket/*\"")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"*\"", "{\"AWS\":\"*\"}", "{\"AWS\":\"111122223333\"}",
        "{\"AWS\":\"arn:aws:iam::111122223333:root\"}", "{\"AWS\":\"arn:aws:iam::111122223333:user/alice\"}",
        "{\"AWS\":\"arn:aws:iam::111122223333:user/division/alice\"}",
        "{\"AWS\":\"arn:aws:iam::111122223333:role/reader\"}",
        "{\"AWS\":\"arn:aws:sts::111122223333:assumed-role/reader/session\"}",
        "{\"AWS\":[\"111122223333\",\"444455556666\"]}",
        "{\"CanonicalUser\":\"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be\"}",
        "{\"Service\":\"cloudfront.amazonaws.com\"}",
        "{\"AWS\":\"111122223333\",\"CanonicalUser\":\"abc\",\"Service\":\"logging.s3.amazonaws.com\"}"})
    void principalsS3TakesAreTaken(String principal) {
        accepted(policy("\"Effect\":\"Allow\",\"Principal\":" + principal
                + ",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::bucket/*\""));
    }

    @Test
    void anAwsPrincipalTheServerDoesNotKnowIsAnInvalidPrincipal() {
        String json = policy("\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\"111122223333\","
                + "\"arn:aws:iam::111122223333:user/mallory\"]},\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"arn:aws:s3:::bucket/*\"");
        S3Exception e = assertThrows(S3Exception.class,
                () -> BucketPolicy.parse(json, BUCKET, principal -> !principal.endsWith("mallory")));
        assertEquals("Invalid principal in policy", e.getMessage());
        BucketPolicy.parse(json, BUCKET, principal -> true);
    }

    @Test
    void notPrincipalWithAllowIsRefusedAndWithDenyIsTaken() {
        String members = "\"NotPrincipal\":{\"AWS\":\"arn:aws:iam::111122223333:user/alice\"},"
                + "\"Action\":\"s3:ListBucket\",\"Resource\":\"arn:aws:s3:::bucket\"";
        assertEquals("Invalid principal in policy", refusal(policy("\"Effect\":\"Allow\"," + members)));
        accepted(policy("\"Effect\":\"Deny\"," + members));
    }

    @Test
    void anElementAndItsNotFormTogetherAreInvalidSyntax() {
        String base = "\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::bucket/*\"";
        assertEquals("Invalid policy syntax.", refusal(policy(base + ",\"NotPrincipal\":\"*\"")));
        assertEquals("Invalid policy syntax.", refusal(policy(base + ",\"NotAction\":\"s3:PutObject\"")));
        assertEquals("Invalid policy syntax.", refusal(policy(base + ",\"NotResource\":\"arn:aws:s3:::bucket/a\"")));
    }

    @Test
    void aStatementWithoutActionIsRefused() {
        assertEquals("Missing required field Action",
                refusal(policy("\"Effect\":\"Allow\",\"Principal\":\"*\",\"Resource\":\"arn:aws:s3:::bucket/*\"")));
        assertEquals("Missing required field Action",
                refusal(policy("\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":[],\"Resource\":\"arn:aws:s3:::bucket/*\"")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"null", "5", "{}", "[\"s3:GetObject\",3]"})
    void anActionThatIsNotAStringOrListOfStringsIsInvalidSyntax(String action) {
        assertEquals("Invalid policy syntax.", refusal(policy("\"Effect\":\"Allow\",\"Principal\":\"*\","
                + "\"Action\":" + action + ",\"Resource\":\"arn:aws:s3:::bucket/*\"")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3:Foo", "s3:PutObjectLockConfiguration", "s3:ListObjects", "s3:HeadObject", "iam:PassRole",
        "ec2:*", "GetObject", "s3:Get*Foo", "s3", ""})
    void anActionS3DoesNotHaveIsInvalid(String action) {
        assertEquals("Policy has invalid action", refusal(policy("\"Effect\":\"Allow\",\"Principal\":\"*\","
                + "\"Action\":[\"s3:GetObject\",\"" + action + "\"],\"Resource\":\"arn:aws:s3:::bucket/*\"")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", "s3:*", "S3:GETOBJECT", "s3:getobject", "s3:Get*", "s3:*Object", "s3:GetObjec?",
        "s3:*Object*", "s3:Get*Version*"})
    void actionsAreTakenWithWildcardsAndWithoutRegardToCase(String action) {
        accepted(policy("\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"" + action
                + "\",\"Resource\":\"arn:aws:s3:::bucket/*\""));
    }

    @Test
    void everyActionOfTheCatalogueIsAValidAction() {
        for (String action : PolicyActions.all()) {
            accepted(policy("\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"" + action + "\","
                    + "\"NotResource\":\"arn:aws:s3:::bucket/private/*\""));
        }
    }

    @Test
    void aStatementWithoutResourceIsRefused() {
        assertEquals("Missing required field Resource",
                refusal(policy("\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\"")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", "arn:aws:s3:::other/*", "arn:aws:s3:::other", "arn:aws:s3:::bucket2/*",
        "arn:aws:s3:::bucke", "arn:aws:s3:::", "arn:aws:s3::bucket/*", "arn:aws-cn:s3:::bucket/*",
        "arn:aws:iam::111122223333:root", "bucket/*", "ARN:AWS:S3:::bucket/*", "arn:aws:s3:::Bucket/*"})
    void aResourceOutsideThisBucketIsInvalid(String resource) {
        assertEquals("Policy has invalid resource", refusal(policy("\"Effect\":\"Allow\",\"Principal\":\"*\","
                + "\"Action\":\"s3:*\",\"Resource\":[\"arn:aws:s3:::bucket/*\",\"" + resource + "\"]")));
    }

    @Test
    void aNotResourceOutsideThisBucketIsInvalidToo() {
        assertEquals("Policy has invalid resource", refusal(policy("\"Effect\":\"Deny\",\"Principal\":\"*\","
                + "\"Action\":\"s3:*\",\"NotResource\":\"arn:aws:s3:::other/*\"")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"arn:aws:s3:::bucket", "arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/b.txt",
        "arn:aws:s3:::*", "arn:aws:s3:::*/*", "arn:aws:s3:::buck*", "arn:aws:s3:::b?cket/*",
        "arn:aws:s3:::bucket*", "arn:aws:s3:::bucket/${aws:username}/*", "arn:aws:s3:::${aws:username}/*"})
    void resourcesThatCanNameThisBucketOrItsObjectsAreTaken(String resource) {
        accepted(policy("\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":\"" + resource + "\""));
    }

    @Test
    void anObjectActionOnTheBucketAloneDoesNotApply() {
        assertEquals("Action does not apply to any resource(s) in statement", refusal(policy("\"Effect\":\"Allow\","
                + "\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::bucket\"")));
        assertEquals("Action does not apply to any resource(s) in statement", refusal(policy("\"Effect\":\"Allow\","
                + "\"Principal\":\"*\",\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::bucket\"")));
    }

    @Test
    void aBucketActionOnObjectsAloneDoesNotApply() {
        assertEquals("Action does not apply to any resource(s) in statement", refusal(policy("\"Effect\":\"Allow\","
                + "\"Principal\":\"*\",\"Action\":\"s3:ListBucket\",\"Resource\":\"arn:aws:s3:::bucket/*\"")));
    }

    @Test
    void everyActionOfAStatementMustApplyToOneOfItsResources() {
        assertEquals("Action does not apply to any resource(s) in statement", refusal(policy("\"Effect\":\"Allow\","
                + "\"Principal\":\"*\",\"Action\":[\"s3:GetObject\",\"s3:ListBucket\"],"
                + "\"Resource\":\"arn:aws:s3:::bucket/*\"")));
        accepted(policy("\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":[\"s3:GetObject\",\"s3:ListBucket\"],"
                + "\"Resource\":[\"arn:aws:s3:::bucket\",\"arn:aws:s3:::bucket/*\"]"));
    }

    @Test
    void anAccountActionAppliesToNoResourceOfABucket() {
        assertEquals("Action does not apply to any resource(s) in statement", refusal(policy("\"Effect\":\"Allow\","
                + "\"Principal\":\"*\",\"Action\":\"s3:ListAllMyBuckets\",\"Resource\":\"arn:aws:s3:::*\"")));
    }

    @Test
    void aWildcardActionAppliesWhenSomeActionItNamesDoes() {
        accepted(policy("\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":\"arn:aws:s3:::bucket/*\""));
        accepted(policy("\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"arn:aws:s3:::bucket\""));
        accepted(policy("\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:List*\",\"Resource\":\"arn:aws:s3:::bucket/*\""));
        assertEquals("Action does not apply to any resource(s) in statement", refusal(policy("\"Effect\":\"Allow\","
                + "\"Principal\":\"*\",\"Action\":\"s3:*Bucket\",\"Resource\":\"arn:aws:s3:::bucket/*\"")));
    }

    @Test
    void aResourceEndingInAWildcardReachesBothTheBucketAndItsObjects() {
        accepted(policy("\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":[\"s3:GetObject\",\"s3:ListBucket\"],"
                + "\"Resource\":\"arn:aws:s3:::bucket*\""));
    }

    @Test
    void notActionAndNotResourceAreNotCheckedForApplicability() {
        accepted(policy("\"Effect\":\"Deny\",\"Principal\":\"*\",\"NotAction\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::bucket\""));
        accepted(policy("\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"NotResource\":\"arn:aws:s3:::bucket\""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"stringequals", "StringEqual", "ForAnyValue:Foo", "ForEveryValue:StringEquals",
        "NullIfExists", "StringEqualsIfexists", "forallvalues:StringEquals"})
    void anUnknownConditionOperatorIsRefusedByName(String operator) {
        assertEquals("Invalid Condition type : " + operator, refusal(policy("\"Effect\":\"Allow\",\"Principal\":\"*\","
                + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::bucket/*\","
                + "\"Condition\":{\"" + operator + "\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"StringEqualsIfExists", "ForAnyValue:StringLike", "ForAllValues:StringNotEquals",
        "ForAllValues:StringLikeIfExists", "Null", "BinaryEquals", "DateGreaterThanEqualsIfExists", "ArnNotLike",
        "NumericLessThanEquals", "Bool"})
    void everyIamOperatorIsTakenWithItsQualifiersAndSuffix(String operator) {
        accepted(policy("\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"arn:aws:s3:::bucket/*\",\"Condition\":{\"" + operator + "\":{\"aws:userid\":\"x\"}}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3:VersionStatus", "s3:Prefixes", "ec2:Region", "SourceIp", "aws:", "s3:ExistingObjectTag/"})
    void aConditionKeyS3DoesNotHaveIsInvalid(String key) {
        assertEquals("Policy has an invalid condition key", refusal(policy("\"Effect\":\"Allow\",\"Principal\":\"*\","
                + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::bucket/*\","
                + "\"Condition\":{\"StringEquals\":{\"" + key + "\":\"x\"}}")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3:prefix", "S3:Prefix", "s3:max-keys", "s3:x-amz-acl", "s3:ExistingObjectTag/security",
        "s3:RequestObjectTag/Project", "s3:VersionId", "s3:x-amz-server-side-encryption", "aws:SecureTransport",
        "aws:AnythingAtAll", "AWS:SourceIp", "aws:PrincipalTag/team"})
    void conditionKeysS3HasAndAnyAwsKeyAreTaken(String key) {
        accepted(policy("\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:*\","
                + "\"Resource\":\"arn:aws:s3:::bucket/*\",\"Condition\":{\"StringEquals\":{\"" + key + "\":\"x\"}}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"10.0.0\"", "\"10.0.0.0/33\"", "\"256.0.0.1\"", "\"example.com\"", "[\"10.0.0.1\",\"x\"]",
        "\"2001:db8::/129\"", "\"2001:db8:::1\"", "\"10.0.0.1/\""})
    void anIpConditionWithAnInvalidAddressIsRefused(String value) {
        assertEquals("Invalid IP address in Conditions", refusal(policy("\"Effect\":\"Allow\",\"Principal\":\"*\","
                + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::bucket/*\","
                + "\"Condition\":{\"NotIpAddress\":{\"aws:SourceIp\":" + value + "}}")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"x\"", "\"\"", "[]", "10", "true", "[\"a\",1,false]"})
    void conditionValuesAreStringsNumbersOrBooleansOrListsOfThem(String value) {
        accepted(policy("\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:ListBucket\","
                + "\"Resource\":\"arn:aws:s3:::bucket\",\"Condition\":{\"StringEquals\":{\"s3:prefix\":" + value + "}}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"Condition\":[]", "\"Condition\":\"x\"", "\"Condition\":{\"StringEquals\":\"x\"}",
        "\"Condition\":{\"StringEquals\":{\"s3:prefix\":{}}}", "\"Condition\":{\"StringEquals\":{\"s3:prefix\":null}}",
        "\"Condition\":{\"StringEquals\":{\"s3:prefix\":[[\"a\"]]}}"})
    void aMalformedConditionBlockIsInvalidSyntax(String condition) {
        assertEquals("Invalid policy syntax.", refusal(policy("\"Effect\":\"Allow\",\"Principal\":\"*\","
                + "\"Action\":\"s3:ListBucket\",\"Resource\":\"arn:aws:s3:::bucket\"," + condition)));
    }

    @Test
    void aSingleStatementNeedNotBeInAList() {
        accepted("{\"Statement\":{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":\"arn:aws:s3:::bucket/*\"}}");
    }

    @Test
    void theFirstFaultingStatementDecidesTheMessage() {
        String good = "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::bucket/*\"}";
        String badAction = "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:Nope\",\"Resource\":\"arn:aws:s3:::bucket/*\"}";
        String badResource = "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::x/*\"}";
        assertEquals("Policy has invalid action", refusal("{\"Statement\":[" + good + "," + badAction + "," + badResource + "]}"));
        assertEquals("Policy has invalid resource", refusal("{\"Statement\":[" + good + "," + badResource + "," + badAction + "]}"));
    }

    @Test
    void theExamplePolicyOfPutBucketPolicysReferenceIsTaken() {
        accepted("{\"Version\":\"2008-10-17\",\"Id\":\"aaaa-bbbb-cccc-dddd\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Sid\":\"1\",\"Principal\":{\"AWS\":[\"111122223333\",\"444455556666\"]},\"Action\":[\"s3:*\"],"
                + "\"Resource\":\"arn:aws:s3:::bucket/*\"}]}");
    }

    @Test
    void theVersionMayComeAfterTheStatements() {
        // the version decides whether ${...} is a variable; its place in the document does not matter
        BucketPolicy policy = BucketPolicy.parse("{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
                + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::bucket/${aws:username}/*\"}],"
                + "\"Version\":\"2012-10-17\"}", BUCKET);
        assertEquals(PolicyDecision.ALLOW, policy.evaluate(new PolicyRequest(PolicyPrincipal.anonymous(),
                "s3:GetObject", "arn:aws:s3:::bucket/alice/x", Map.of("aws:username", List.of("alice")))));
    }
}
