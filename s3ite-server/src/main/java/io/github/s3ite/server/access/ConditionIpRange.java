package io.github.s3ite.server.access;

import java.util.ArrayList;
import java.util.List;

/**
 * An IPv4 or IPv6 range in CIDR notation, as {@code IpAddress} and {@code NotIpAddress} take it; an
 * address without a prefix is a range of one ({@code /32}, {@code /128}). Parsed by hand, never by
 * {@code InetAddress}, which would look a malformed address up in DNS.
 */
final class ConditionIpRange {
    private final byte[] network;
    private final int prefix;

    private ConditionIpRange(byte[] network, int prefix) {
        this.network = network;
        this.prefix = prefix;
    }

    /** The range, or null if {@code text} is not an address with an optional prefix. */
    static ConditionIpRange parse(String text) {
        String address = text;
        int prefix = -1;
        int slash = text.indexOf('/');
        if (slash >= 0) {
            address = text.substring(0, slash);
            prefix = decimal(text.substring(slash + 1), 128);
            if (prefix < 0) {
                return null;
            }
        }
        byte[] bytes = address(address);
        if (bytes == null) {
            return null;
        }
        int bits = bytes.length * 8;
        if (prefix > bits) {
            return null;
        }
        return new ConditionIpRange(bytes, prefix < 0 ? bits : prefix);
    }

    /** The bytes of an IPv4 or IPv6 address, or null. */
    static byte[] address(String text) {
        return text.indexOf(':') >= 0 ? ipv6(text) : ipv4(text);
    }

    int prefix() {
        return prefix;
    }

    boolean isIpv4() {
        return network.length == 4;
    }

    /** Whether the address {@code text} lies in this range; an address of the other family never does. */
    boolean contains(String text) {
        byte[] address = address(text);
        if (address == null || address.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xff << (8 - rest) & 0xff;
        return (address[full] & mask) == (network[full] & mask);
    }

    private static byte[] ipv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            int octet = decimal(parts[i], 255);
            if (octet < 0) {
                return null;
            }
            bytes[i] = (byte) octet;
        }
        return bytes;
    }

    private static byte[] ipv6(String text) {
        int gap = text.indexOf("::");
        if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
            return null;
        }
        List<Integer> head = gap >= 0 ? groups(text.substring(0, gap), false) : groups(text, true);
        List<Integer> tail = gap >= 0 ? groups(text.substring(gap + 2), true) : List.of();
        if (head == null || tail == null) {
            return null;
        }
        int words = head.size() + tail.size();
        if (gap < 0 ? words != 8 : words > 7) {
            return null;
        }
        byte[] bytes = new byte[16];
        for (int i = 0; i < head.size(); i++) {
            put(bytes, i, head.get(i));
        }
        for (int i = 0; i < tail.size(); i++) {
            put(bytes, 8 - tail.size() + i, tail.get(i));
        }
        return bytes;
    }

    /** The 16-bit words of colon-separated hex groups; a dotted IPv4 address may end them. */
    private static List<Integer> groups(String text, boolean ipv4Last) {
        List<Integer> words = new ArrayList<>();
        if (text.isEmpty()) {
            return words;
        }
        String[] parts = text.split(":", -1);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (ipv4Last && i == parts.length - 1 && part.indexOf('.') >= 0) {
                byte[] v4 = ipv4(part);
                if (v4 == null) {
                    return null;
                }
                words.add((v4[0] & 0xff) << 8 | v4[1] & 0xff);
                words.add((v4[2] & 0xff) << 8 | v4[3] & 0xff);
                continue;
            }
            if (part.isEmpty() || part.length() > 4) {
                return null;
            }
            int word = 0;
            for (int j = 0; j < part.length(); j++) {
                int digit = Character.digit(part.charAt(j), 16);
                if (digit < 0) {
                    return null;
                }
                word = word << 4 | digit;
            }
            words.add(word);
        }
        return words;
    }

    private static void put(byte[] bytes, int word, int value) {
        bytes[2 * word] = (byte) (value >> 8);
        bytes[2 * word + 1] = (byte) value;
    }

    /** A decimal number of 1 to 3 digits no greater than {@code max}, or -1. */
    private static int decimal(String text, int max) {
        if (text.isEmpty() || text.length() > 3) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value <= max ? value : -1;
    }
}
