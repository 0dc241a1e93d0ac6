package dev.adapterhub.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * docs/architecture.md's table of allowed module dependencies is what readers trust; the enforcer rules in the
 * modules' poms are what the build checks. They must say the same thing.
 */
class ModuleBoundariesDocTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern ROW = Pattern.compile("^\\|\\s*`([a-z-]+)`\\s*\\|([^|]*)\\|([^|]*)\\|$");
    private static final Pattern INCLUDE = Pattern.compile("<include>dev\\.adapterhub:([a-z-]+)[^<]*</include>");
    private static final Pattern MODULE = Pattern.compile("<module>([a-z-]+)</module>");

    @Test
    void theArchitectureTableListsExactlyWhatEachModulesEnforcerRuleAllows() throws IOException {
        Map<String, Set<String>> documented = documented();
        Map<String, Set<String>> enforced = new TreeMap<>();
        for (String module : modules()) {
            enforced.put(module, enforced(module));
        }
        assertFalse(enforced.isEmpty());
        assertEquals(enforced, documented, "docs/architecture.md (## Modules and their allowed dependencies) and "
                + "the modules' maven-enforcer-plugin bannedDependencies includes disagree");
    }

    private static List<String> modules() throws IOException {
        Matcher m = MODULE.matcher(Files.readString(ROOT.resolve("pom.xml")));
        List<String> modules = new java.util.ArrayList<>();
        while (m.find()) {
            modules.add(m.group(1));
        }
        return modules;
    }

    private static Set<String> enforced(String module) throws IOException {
        String pom = Files.readString(ROOT.resolve(module).resolve("pom.xml"));
        int start = pom.indexOf("<bannedDependencies>");
        if (start < 0) {
            throw new AssertionError(module + "/pom.xml has no module-boundary rule (bannedDependencies)");
        }
        Matcher m = INCLUDE.matcher(pom.substring(start, pom.indexOf("</bannedDependencies>", start)));
        Set<String> allowed = new TreeSet<>();
        while (m.find()) {
            allowed.add(m.group(1));
        }
        return allowed;
    }

    private static Map<String, Set<String>> documented() throws IOException {
        Map<String, Set<String>> table = new TreeMap<>();
        for (String line : Files.readAllLines(ROOT.resolve("docs/architecture.md"))) {
            Matcher row = ROW.matcher(line.trim());
            if (row.matches()) {
                Set<String> allowed = new TreeSet<>(names(row.group(2)));
                allowed.addAll(names(row.group(3)));
                table.put(row.group(1), allowed);
            }
        }
        return table;
    }

    /** "formats, schemas (never the engine ...)" -> [formats, schemas]; "nothing" -> []. */
    private static Set<String> names(String cell) {
        String withoutRemarks = cell.replaceAll("\\([^)]*\\)", "");
        return Arrays.stream(withoutRemarks.split(","))
                .map(String::trim)
                .filter(name -> !name.isEmpty() && !name.equals("nothing"))
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
