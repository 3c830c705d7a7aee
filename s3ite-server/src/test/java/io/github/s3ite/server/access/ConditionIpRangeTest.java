package io.github.s3ite.server.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** CIDR ranges of IpAddress and NotIpAddress, parsed without DNS. */
class ConditionIpRangeTest {

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0/0", "192.0.2.1", "192.0.2.0/24", "255.255.255.255/32", "::", "::/0", "::1",
        "2001:db8::", "2001:DB8:0:0:8:800:200C:417A", "ff01::101/16", "::ffff:192.0.2.1", "1:2:3:4:5:6:7::",
        "1:2:3:4:5:6:192.0.2.1", "2001:db8::/128"})
    void addressesAndRangesInCidrNotationParse(String text) {
        assertNotNull(ConditionIpRange.parse(text), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.4/33", "1.2.3.4/-1", "1.2.3.4/", "1.2.3.4/a",
        "a.b.c.d", "localhost", "example.com", ":", ":::", "1::2::3", "12345::", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7",
        "g::1", "::1/129", "[::1]", "1.2.3.4 ", " 1.2.3.4", "::192.0.2.1.5", "1:2:3:4:5:6:7:192.0.2.1"})
    void anythingElseDoesNot(String text) {
        assertNull(ConditionIpRange.parse(text), text);
    }

    @Test
    void aBareAddressIsARangeOfOne() {
        assertEquals(32, ConditionIpRange.parse("192.0.2.1").prefix());
        assertEquals(128, ConditionIpRange.parse("::1").prefix());
        assertTrue(ConditionIpRange.parse("192.0.2.1").contains("192.0.2.1"));
        assertFalse(ConditionIpRange.parse("192.0.2.1").contains("192.0.2.2"));
    }

    @Test
    void aPrefixThatIsNotAWholeNumberOfBytesIsHonoured() {
        ConditionIpRange range = ConditionIpRange.parse("10.0.0.0/9");
        assertTrue(range.contains("10.127.255.255"));
        assertFalse(range.contains("10.128.0.0"));
        ConditionIpRange v6 = ConditionIpRange.parse("2001:db8:8000::/33");
        assertTrue(v6.contains("2001:db8:ffff::1"));
        assertFalse(v6.contains("2001:db8:7fff::1"));
    }

    @Test
    void bitsBeyondThePrefixAreIgnored() {
        assertTrue(ConditionIpRange.parse("192.0.2.77/24").contains("192.0.2.200"));
    }

    @Test
    void anAddressOfTheOtherFamilyIsNeverInTheRange() {
        assertFalse(ConditionIpRange.parse("0.0.0.0/0").contains("::1"));
        assertFalse(ConditionIpRange.parse("::/0").contains("127.0.0.1"));
        assertTrue(ConditionIpRange.parse("::/0").contains("::ffff:127.0.0.1"));
    }
}
