package io.github.s3ite.server.access;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** S3's "is public" test of a policy ("The meaning of 'public'"), as GetBucketPolicyStatus reports it. */
class BucketPolicyPublicTest {

    private static boolean isPublic(String effect, String principal, String condition) {
        String json = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"" + effect + "\",\"Principal\":" + principal
                + ",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::bucket/*\""
                + (condition == null ? "" : ",\"Condition\":" + condition) + "}]}";
        return BucketPolicy.parse(json, "bucket").isPublic();
    }

    private static boolean isPublic(String condition) {
        return isPublic("Allow", "\"*\"", condition);
    }

    @Test
    void anAllowToEveryoneWithoutConditionIsPublic() {
        assertTrue(isPublic(null));
        assertTrue(isPublic("Allow", "{\"AWS\":\"*\"}", null));
        assertTrue(isPublic("Allow", "{\"AWS\":[\"111122223333\",\"*\"]}", null));
    }

    @Test
    void anAllowToNamedPrincipalsIsNotPublic() {
        assertFalse(isPublic("Allow", "{\"AWS\":\"111122223333\"}", null));
        assertFalse(isPublic("Allow", "{\"AWS\":\"arn:aws:iam::111122223333:user/alice\"}", null));
        assertFalse(isPublic("Allow", "{\"CanonicalUser\":\"abc\"}", null));
        assertFalse(isPublic("Allow", "{\"Service\":\"cloudfront.amazonaws.com\"}", null));
    }

    @Test
    void aDenyToEveryoneIsNotPublic() {
        assertFalse(isPublic("Deny", "\"*\"", null));
        assertFalse(isPublic("Deny", "\"*\"", "{\"NotIpAddress\":{\"aws:SourceIp\":\"192.0.2.0/24\"}}"));
    }

    @Test
    void aPolicyIsPublicWhenAnyOfItsStatementsIs() {
        String json = "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"111122223333\"},\"Action\":\"s3:*\","
                + "\"Resource\":\"arn:aws:s3:::bucket/*\"},{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:ListBucket\","
                + "\"Resource\":\"arn:aws:s3:::bucket\"}]}";
        assertTrue(BucketPolicy.parse(json, "bucket").isPublic());
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/32", "10.0.0.0/8", "192.0.2.0/24", "203.0.113.7", "2001:db8::/32", "2001:db8::1"})
    void anAllowConfinedToASourceRangeNoBroaderThanSlash8IsNotPublic(String range) {
        assertFalse(isPublic("{\"IpAddress\":{\"aws:SourceIp\":\"" + range + "\"}}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0/0", "10.0.0.0/7", "128.0.0.0/1", "::/0", "2001:db8::/31"})
    void anAllowConfinedToABroaderSourceRangeIsPublic(String range) {
        assertTrue(isPublic("{\"IpAddress\":{\"aws:SourceIp\":\"" + range + "\"}}"));
    }

    @Test
    void oneBroadRangeAmongNarrowOnesMakesItPublic() {
        assertTrue(isPublic("{\"IpAddress\":{\"aws:SourceIp\":[\"192.0.2.0/24\",\"0.0.0.0/0\"]}}"));
    }

    @Test
    void excludingAddressesConfinesNothing() {
        assertTrue(isPublic("{\"NotIpAddress\":{\"aws:SourceIp\":\"192.0.2.0/24\"}}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"aws:SourceArn", "aws:SourceVpc", "aws:SourceVpce", "aws:SourceOwner", "aws:SourceAccount",
        "aws:PrincipalOrgID", "aws:PrincipalAccount", "aws:PrincipalArn", "aws:userid",
        "s3:x-amz-server-side-encryption-aws-kms-key-id", "s3:DataAccessPointArn", "s3:DataAccessPointAccount",
        "AWS:SOURCEVPCE"})
    void anAllowConfinedToAFixedValueOfAConfiningKeyIsNotPublic(String key) {
        assertFalse(isPublic("{\"StringEquals\":{\"" + key + "\":\"vpce-1a2b3c4d\"}}"));
        assertFalse(isPublic("{\"StringLike\":{\"" + key + "\":[\"vpce-1a2b3c4d\",\"vpce-5e6f\"]}}"));
    }

    @Test
    void arnOperatorsWithFixedValuesConfineToo() {
        assertFalse(isPublic("{\"ArnEquals\":{\"aws:SourceArn\":\"arn:aws:cloudfront::111122223333:distribution/E1\"}}"));
        assertFalse(isPublic("{\"ArnLike\":{\"aws:SourceArn\":\"arn:aws:cloudfront::111122223333:distribution/E1\"}}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"vpc-*", "vpc-?", "${aws:username}", "AROLEID:*"})
    void aValueWithAWildcardOrVariableConfinesNothing(String value) {
        assertTrue(isPublic("{\"StringLike\":{\"aws:SourceVpc\":\"" + value + "\"}}"));
        assertTrue(isPublic("{\"StringLike\":{\"aws:userid\":[\"AIDAEXAMPLE\",\"" + value + "\"]}}"));
    }

    @Test
    void aConditionThatARequestWithoutTheKeyPassesConfinesNothing() {
        assertTrue(isPublic("{\"StringEqualsIfExists\":{\"aws:SourceVpce\":\"vpce-1a2b3c4d\"}}"));
        assertTrue(isPublic("{\"ForAllValues:StringEquals\":{\"aws:SourceVpce\":\"vpce-1a2b3c4d\"}}"));
        assertTrue(isPublic("{\"StringNotEquals\":{\"aws:SourceVpce\":\"vpce-1a2b3c4d\"}}"));
        assertTrue(isPublic("{\"IpAddressIfExists\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}"));
        assertFalse(isPublic("{\"ForAnyValue:StringEquals\":{\"aws:SourceVpce\":\"vpce-1a2b3c4d\"}}"));
    }

    @Test
    void aConditionOnAnyOtherKeyConfinesNothing() {
        assertTrue(isPublic("{\"Bool\":{\"aws:SecureTransport\":\"true\"}}"));
        assertTrue(isPublic("{\"StringEquals\":{\"aws:Referer\":\"https://example.com/\"}}"));
        assertTrue(isPublic("{\"StringEquals\":{\"s3:x-amz-acl\":\"private\"}}"));
    }

    @Test
    void oneConfiningConditionAmongOthersIsEnough() {
        assertFalse(isPublic("{\"Bool\":{\"aws:SecureTransport\":\"true\"},"
                + "\"StringEquals\":{\"aws:SourceAccount\":\"111122223333\"}}"));
    }

    @Test
    void aStatementToEveryoneWithNotActionIsStillAGrantToEveryone() {
        String json = "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"NotAction\":\"s3:DeleteObject\","
                + "\"Resource\":\"arn:aws:s3:::bucket/*\"}]}";
        assertTrue(BucketPolicy.parse(json, "bucket").isPublic());
    }
}
