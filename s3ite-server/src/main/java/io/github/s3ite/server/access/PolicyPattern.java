package io.github.s3ite.server.access;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.Function;

/**
 * A value written in a policy: text that may hold IAM's wildcards ({@code *} for any run of
 * characters, {@code ?} for one) and policy variables ({@code ${aws:username}}, with an optional
 * default, {@code ${aws:username, 'nobody'}}, and {@code ${*}}, {@code ${?}}, {@code ${$}} for the
 * characters themselves). Which of the two an element honours depends on where it stands, so the
 * parser says so when it builds one.
 */
final class PolicyPattern {
    /** One element of a pattern: a literal character, or a wildcard. */
    private record Token(char literal, Kind kind, String variable, String fallback) {
        static Token literal(char c) {
            return new Token(c, Kind.LITERAL, null, null);
        }
    }

    private enum Kind { LITERAL, ANY_RUN, ANY_ONE, VARIABLE }

    private static final Token ANY_RUN = new Token('*', Kind.ANY_RUN, null, null);
    private static final Token ANY_ONE = new Token('?', Kind.ANY_ONE, null, null);

    private final String text;
    private final List<Token> tokens;

    private PolicyPattern(String text, List<Token> tokens) {
        this.text = text;
        this.tokens = tokens;
    }

    /** A pattern of exact text: no wildcards, no variables. */
    static PolicyPattern exact(String text) {
        return of(text, false, false);
    }

    /**
     * @param wildcards whether {@code *} and {@code ?} match runs and single characters
     * @param variables whether {@code ${...}} is a policy variable (Version 2012-10-17 only)
     */
    static PolicyPattern of(String text, boolean wildcards, boolean variables) {
        List<Token> tokens = new ArrayList<>(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (variables && c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '{') {
                int end = variable(text, i, tokens);
                if (end > 0) {
                    i = end;
                    continue;
                }
            }
            if (wildcards && c == '*') {
                tokens.add(ANY_RUN);
            } else if (wildcards && c == '?') {
                tokens.add(ANY_ONE);
            } else {
                tokens.add(Token.literal(c));
            }
            i++;
        }
        return new PolicyPattern(text, List.copyOf(tokens));
    }

    /**
     * Reads the variable that starts at {@code start} ({@code ${}) into {@code tokens}; answers the
     * index after its {@code }}, or -1 if it is not well formed, in which case it is plain text.
     */
    private static int variable(String text, int start, List<Token> tokens) {
        int i = start + 2;
        int nameEnd = i;
        while (nameEnd < text.length() && text.charAt(nameEnd) != '}' && text.charAt(nameEnd) != ',') {
            nameEnd++;
        }
        if (nameEnd >= text.length()) {
            return -1;
        }
        String name = text.substring(i, nameEnd).trim();
        if (name.isEmpty()) {
            return -1;
        }
        String fallback = null;
        int end;
        if (text.charAt(nameEnd) == ',') {
            int j = skipSpaces(text, nameEnd + 1);
            if (j >= text.length() || text.charAt(j) != '\'') {
                return -1;
            }
            StringBuilder value = new StringBuilder();
            j++;
            while (true) {
                if (j >= text.length()) {
                    return -1;
                }
                char c = text.charAt(j);
                if (c == '\'') {
                    // IAM writes a quote inside a default value as two quotes
                    if (j + 1 < text.length() && text.charAt(j + 1) == '\'') {
                        value.append('\'');
                        j += 2;
                        continue;
                    }
                    break;
                }
                value.append(c);
                j++;
            }
            j = skipSpaces(text, j + 1);
            if (j >= text.length() || text.charAt(j) != '}') {
                return -1;
            }
            fallback = value.toString();
            end = j + 1;
        } else {
            end = nameEnd + 1;
        }
        switch (name) {
            case "*", "?", "$" -> tokens.add(Token.literal(name.charAt(0)));
            default -> tokens.add(new Token('\0', Kind.VARIABLE, ConditionKeys.normalize(name), fallback));
        }
        return end;
    }

    private static int skipSpaces(String text, int i) {
        while (i < text.length() && text.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    /** The value as the policy writes it. */
    String text() {
        return text;
    }

    boolean hasVariables() {
        return tokens.stream().anyMatch(token -> token.kind() == Kind.VARIABLE);
    }

    /**
     * This pattern with its variables replaced by their values, or null when one has no value and
     * no default: IAM matches nothing against a variable it cannot resolve.
     *
     * @param variables a single-valued condition key's value by its normalized name, else null
     */
    PolicyPattern resolve(Function<String, String> variables) {
        if (!hasVariables()) {
            return this;
        }
        List<Token> resolved = new ArrayList<>(tokens.size());
        for (Token token : tokens) {
            if (token.kind() != Kind.VARIABLE) {
                resolved.add(token);
                continue;
            }
            String value = variables.apply(token.variable());
            if (value == null) {
                value = token.fallback();
            }
            if (value == null) {
                return null;
            }
            // a variable's value is text, never wildcards
            for (int i = 0; i < value.length(); i++) {
                resolved.add(Token.literal(value.charAt(i)));
            }
        }
        return new PolicyPattern(text, List.copyOf(resolved));
    }

    /** The literal text of a resolved pattern without wildcards. */
    String literal() {
        StringBuilder builder = new StringBuilder(tokens.size());
        tokens.forEach(token -> builder.append(token.literal()));
        return builder.toString();
    }

    /** Whether a resolved pattern matches all of {@code input}. */
    boolean matches(String input, boolean ignoreCase) {
        BitSet states = consume(input, ignoreCase);
        return states.get(tokens.size());
    }

    /**
     * Whether some string that starts with {@code prefix} matches this pattern. A variable is taken
     * to stand for any text, since its value is not known until a request comes.
     */
    boolean canMatchStartOf(String prefix) {
        return !consume(prefix, false).isEmpty();
    }

    /**
     * Whether some string equal to {@code input} could match, a variable standing for any text.
     */
    boolean canMatch(String input) {
        return consume(input, false).get(tokens.size());
    }

    /**
     * Runs the pattern as a nondeterministic automaton over {@code input}: the answer holds every
     * position in the pattern that some way of matching reaches once the input is used up.
     */
    private BitSet consume(String input, boolean ignoreCase) {
        int n = tokens.size();
        BitSet states = new BitSet(n + 1);
        states.set(0);
        closure(states);
        for (int i = 0; i < input.length() && !states.isEmpty(); i++) {
            char c = input.charAt(i);
            BitSet next = new BitSet(n + 1);
            for (int s = states.nextSetBit(0); s >= 0 && s < n; s = states.nextSetBit(s + 1)) {
                Token token = tokens.get(s);
                switch (token.kind()) {
                    case ANY_RUN, VARIABLE -> next.set(s);
                    case ANY_ONE -> next.set(s + 1);
                    case LITERAL -> {
                        if (same(token.literal(), c, ignoreCase)) {
                            next.set(s + 1);
                        }
                    }
                }
            }
            closure(next);
            states = next;
        }
        return states;
    }

    /** Adds the positions reached by letting a {@code *} (or an unknown variable) match nothing. */
    private void closure(BitSet states) {
        for (int s = states.nextSetBit(0); s >= 0 && s < tokens.size(); s = states.nextSetBit(s + 1)) {
            Kind kind = tokens.get(s).kind();
            if (kind == Kind.ANY_RUN || kind == Kind.VARIABLE) {
                states.set(s + 1);
            }
        }
    }

    private static boolean same(char a, char b, boolean ignoreCase) {
        return a == b || ignoreCase && Character.toLowerCase(a) == Character.toLowerCase(b);
    }

    /**
     * A resolved pattern cut at its literal {@code :} into at most {@code limit} parts, the last
     * keeping the rest, as the six parts of an ARN are compared one by one.
     */
    List<PolicyPattern> split(char separator, int limit) {
        List<PolicyPattern> parts = new ArrayList<>(limit);
        List<Token> current = new ArrayList<>();
        for (Token token : tokens) {
            if (token.kind() == Kind.LITERAL && token.literal() == separator && parts.size() < limit - 1) {
                parts.add(new PolicyPattern(text, List.copyOf(current)));
                current = new ArrayList<>();
            } else {
                current.add(token);
            }
        }
        parts.add(new PolicyPattern(text, List.copyOf(current)));
        return parts;
    }

    @Override
    public String toString() {
        return text;
    }
}
