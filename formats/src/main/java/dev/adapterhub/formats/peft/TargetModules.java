package dev.adapterhub.formats.peft;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.adapterhub.formats.hf.LinearModules;

import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * PEFT's {@code target_modules}: a list of names (a module matches when its path equals a name or ends with
 * {@code "." + name}), the string {@code "all-linear"}, or any other string, which PEFT treats as a regular
 * expression that must match the whole module path.
 */
public final class TargetModules {

    /** Longest {@code target_modules} expression accepted; PEFT's own are a few dozen characters. */
    static final int MAX_REGEX_LENGTH = 1024;
    /**
     * Character reads one match of a module path may take. The expression comes from an uploaded file, and an
     * expression like {@code (a+)+b} backtracks exponentially: past this budget the adapter is refused rather
     * than a thread lost (a real path matches in a few hundred reads).
     */
    static final long MATCH_BUDGET = 1_000_000;

    /** How the targets were written. */
    public enum Kind { LIST, ALL_LINEAR, REGEX }

    private final Kind kind;
    private final List<String> names;
    private final Pattern regex;

    private TargetModules(Kind kind, List<String> names, Pattern regex) {
        this.kind = kind;
        this.names = names;
        this.regex = regex;
    }

    /** A list of module names or path suffixes. */
    public static TargetModules of(List<String> names) {
        if (names.isEmpty()) {
            throw new InvalidAdapterException("adapter_config.json: \"target_modules\" must not be empty");
        }
        for (String n : names) {
            if (n == null || n.isBlank()) {
                throw new InvalidAdapterException("adapter_config.json: \"target_modules\" has an empty name");
            }
        }
        return new TargetModules(Kind.LIST, List.copyOf(names), null);
    }

    public static TargetModules of(String... names) {
        return of(List.of(names));
    }

    /** Every linear layer except the output layer. */
    public static TargetModules allLinear() {
        return new TargetModules(Kind.ALL_LINEAR, List.of(), null);
    }

    /** A regular expression matched against the full module path. */
    public static TargetModules regex(String regex) {
        if (regex.length() > MAX_REGEX_LENGTH) {
            throw new InvalidAdapterException("adapter_config.json: \"target_modules\" is a regular expression of "
                    + regex.length() + " characters; at most " + MAX_REGEX_LENGTH + " are accepted");
        }
        try {
            return new TargetModules(Kind.REGEX, List.of(), Pattern.compile(regex));
        } catch (PatternSyntaxException e) {
            throw new InvalidAdapterException("adapter_config.json: \"target_modules\" is not a valid regular "
                    + "expression: " + e.getDescription());
        }
    }

    /** From the JSON value (string or list of strings). */
    public static TargetModules fromJson(JsonNode node) {
        if (node == null || node.isNull()) {
            throw new InvalidAdapterException("adapter_config.json: \"target_modules\" is required");
        }
        if (node.isTextual()) {
            return LinearModules.ALL_LINEAR.equals(node.textValue()) ? allLinear() : regex(node.textValue());
        }
        if (node.isArray()) {
            List<String> names = new java.util.ArrayList<>();
            for (JsonNode e : node) {
                if (!e.isTextual()) {
                    throw new InvalidAdapterException("adapter_config.json: \"target_modules\" must be a string "
                            + "or a list of strings, got element " + e);
                }
                names.add(e.textValue());
            }
            return of(names);
        }
        throw new InvalidAdapterException("adapter_config.json: \"target_modules\" must be a string or a list of "
                + "strings, got " + node);
    }

    public Kind kind() {
        return kind;
    }

    /** The names for {@link Kind#LIST}, else empty. */
    public List<String> names() {
        return names;
    }

    /** The expression for {@link Kind#REGEX}, else null. */
    public String regex() {
        return regex == null ? null : regex.pattern();
    }

    /** Whether this selects the module at {@code modulePath}. */
    public boolean matches(String modulePath) {
        return switch (kind) {
            case ALL_LINEAR -> true;
            case REGEX -> regex.matcher(new BudgetedChars(modulePath, MATCH_BUDGET)).matches();
            case LIST -> names.stream().anyMatch(n -> LinearModules.matches(modulePath, n));
        };
    }

    /** Modules of {@code base} selected, in model order. */
    public List<String> select(LinearModules base) {
        return base.modules().keySet().stream().filter(this::matches).toList();
    }

    /** The JSON value as PEFT writes it. */
    public JsonNode toJson() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (kind) {
            case ALL_LINEAR -> f.textNode(LinearModules.ALL_LINEAR);
            case REGEX -> f.textNode(regex.pattern());
            case LIST -> {
                ArrayNode a = f.arrayNode();
                names.forEach(a::add);
                yield a;
            }
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TargetModules t && kind == t.kind && names.equals(t.names)
                && java.util.Objects.equals(regex(), t.regex());
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(kind, names, regex());
    }

    @Override
    public String toString() {
        return toJson().toString();
    }

    /** The module path as the regex engine reads it, refusing to be read more than {@code budget} times. */
    private static final class BudgetedChars implements CharSequence {

        private final String text;
        private final long[] left;

        BudgetedChars(String text, long budget) {
            this(text, new long[] {budget});
        }

        private BudgetedChars(String text, long[] left) {
            this.text = text;
            this.left = left;
        }

        @Override
        public char charAt(int index) {
            if (--left[0] < 0) {
                throw new InvalidAdapterException("adapter_config.json: \"target_modules\" is a regular expression "
                        + "too expensive to match (it backtracks without bound)");
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new BudgetedChars(text.substring(start, end), left);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
