package wgan.architecture;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The layout README describes, checked on the compiled classes with the JDK's jdeps (which sees
 * every reference, not only imports): no cycle among wgan's packages, and nothing outside
 * wgan.cli uses picocli.
 */
class PackageDependenciesTest {
    private static final Pattern EDGE = Pattern.compile("^\\s+(\\S+)\\s+->\\s+(\\S+)\\s");

    @Test
    void packagesFormNoCycleAndOnlyTheCliUsesPicocli() {
        Map<String, Set<String>> uses = dependencies(Path.of("target", "classes"));
        assertTrue(uses.size() >= 10, "jdeps found too few wgan packages: " + uses.keySet());

        List<String> picocliUsers = uses.entrySet().stream()
                .filter(e -> e.getValue().stream().anyMatch(p -> p.startsWith("picocli")))
                .map(Map.Entry::getKey).toList();
        assertEquals(List.of("wgan.cli"), picocliUsers, "packages that use picocli");

        for (String start : uses.keySet()) {
            List<String> cycle = cycleThrough(start, start, uses, new ArrayList<>(List.of(start)), new TreeSet<>());
            assertTrue(cycle.isEmpty(), "package cycle: " + String.join(" -> ", cycle));
        }
    }

    /** wgan package -> packages it uses (wgan's and picocli), from jdeps -verbose:package. */
    private static Map<String, Set<String>> dependencies(Path classes) {
        assertTrue(Files.isDirectory(classes), classes + " is missing: run through Maven");
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new AssertionError("this JDK has no jdeps"));
        StringWriter out = new StringWriter();
        int code = jdeps.run(new PrintWriter(out), new PrintWriter(out), "-verbose:package", "-e", "wgan\\..*|picocli.*",
                classes.toString());
        assertEquals(0, code, out.toString());
        Map<String, Set<String>> uses = new TreeMap<>();
        for (String line : out.toString().split("\\R")) {
            Matcher m = EDGE.matcher(line);
            if (m.find() && m.group(1).startsWith("wgan") && !m.group(1).equals(m.group(2))) {
                uses.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(m.group(2));
            }
        }
        return uses;
    }

    /** A path from "at" back to "start" (start, ..., start), or empty if there is none. */
    private static List<String> cycleThrough(String start, String at, Map<String, Set<String>> uses, List<String> path,
                                             Set<String> visited) {
        for (String next : uses.getOrDefault(at, Set.of())) {
            if (next.equals(start)) {
                List<String> cycle = new ArrayList<>(path);
                cycle.add(start);
                return cycle;
            }
            if (next.startsWith("wgan") && visited.add(next)) {
                path.add(next);
                List<String> found = cycleThrough(start, next, uses, path, visited);
                if (!found.isEmpty()) {
                    return found;
                }
                path.remove(path.size() - 1);
            }
        }
        return List.of();
    }
}
