package dev.adapterhub.testsupport.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The configuration keys a service declares in its {@code @ConfigMapping} interfaces, with their defaults, so that
 * a test can hold the README's configuration table to them. The interfaces are the single source: a key added,
 * renamed or given another default there and not in the README fails that test.
 */
public final class ConfigReference {

    /** How a key without {@code @WithDefault} appears in the README's default column. */
    public static final String NO_DEFAULT = "(none)";

    private ConfigReference() {
    }

    /** Every leaf key of the mappings (prefix included) and its default, sorted by key. */
    public static Map<String, String> keys(Class<?>... mappings) {
        Map<String, String> keys = new TreeMap<>();
        for (Class<?> mapping : mappings) {
            ConfigMapping annotation = mapping.getAnnotation(ConfigMapping.class);
            if (annotation == null) {
                throw new IllegalArgumentException(mapping.getName() + " is not a @ConfigMapping");
            }
            collect(mapping, annotation.prefix(), keys);
        }
        return keys;
    }

    /**
     * Fails with the differences when the README's table does not list exactly the mappings' keys with their
     * defaults (see {@link ReadmeConfigTable} for the table's shape).
     */
    public static void assertDocumented(Path readme, Class<?>... mappings) {
        Map<String, String> declared = keys(mappings);
        Map<String, String> documented = ReadmeConfigTable.read(readme);
        StringBuilder problems = new StringBuilder();
        declared.forEach((key, value) -> {
            if (!documented.containsKey(key)) {
                problems.append("\n  missing from the README: ").append(key).append(" (default ").append(value)
                        .append(')');
            } else if (!documented.get(key).equals(value)) {
                problems.append("\n  ").append(key).append(": README says ").append(documented.get(key))
                        .append(", the code says ").append(value);
            }
        });
        documented.keySet().stream().filter(key -> !declared.containsKey(key)).forEach(key ->
                problems.append("\n  in the README but not in the code: ").append(key));
        if (!problems.isEmpty()) {
            throw new AssertionError(readme + "'s configuration table does not match the @ConfigMapping interfaces:"
                    + problems);
        }
    }

    private static void collect(Class<?> group, String prefix, Map<String, String> keys) {
        Method[] methods = group.getMethods();
        java.util.Arrays.sort(methods, Comparator.comparing(Method::getName));
        for (Method method : methods) {
            if (method.getParameterCount() > 0 || Modifier.isStatic(method.getModifiers()) || method.isDefault()) {
                continue;
            }
            String key = prefix + "." + name(method);
            Class<?> type = valueType(method.getGenericReturnType());
            if (type.isInterface() && !isValue(type)) {
                collect(type, key, keys);
            } else {
                WithDefault withDefault = method.getAnnotation(WithDefault.class);
                keys.put(key, withDefault == null ? NO_DEFAULT : withDefault.value());
            }
        }
    }

    private static String name(Method method) {
        WithName withName = method.getAnnotation(WithName.class);
        return withName != null ? withName.value() : kebab(method.getName());
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    /** {@code Optional<X>} and {@code List<X>} are values unless X is a group; unwrap to decide. */
    private static Class<?> valueType(Type type) {
        if (type instanceof ParameterizedType parameterized) {
            Class<?> raw = (Class<?>) parameterized.getRawType();
            if (raw == Optional.class) {
                return valueType(parameterized.getActualTypeArguments()[0]);
            }
            return raw;
        }
        return (Class<?>) type;
    }

    private static boolean isValue(Class<?> type) {
        return type == java.util.List.class || type == java.util.Set.class || type == Duration.class
                || type.getName().startsWith("java.");
    }
}
