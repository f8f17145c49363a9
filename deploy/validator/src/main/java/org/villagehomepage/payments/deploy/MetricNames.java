package org.villagehomepage.payments.deploy;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Every metric name used in an alert rule or dashboard expression must be exported by a service.
 *
 * <pre>
 * java MetricNames --rules DIR --dashboards DIR --scrapes DIR   # files of /q/metrics text, one per service
 * java MetricNames --rules DIR --dashboards DIR --docs docs/metrics.md
 * </pre>
 */
public final class MetricNames {

    /** PromQL words that look like names but are not metrics. */
    static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "and", "or", "unless", "offset", "bool", "inf", "nan", "le", "atan2", "up");
    static final Pattern STRINGS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
    static final Pattern RANGES = Pattern.compile("\\[[^]]*]");
    static final Pattern GROUPING = Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    static final Pattern IDENT = Pattern.compile("(?<![\\w:.$])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");
    static final Pattern DURATION = Pattern.compile("\\d+(ms|s|m|h|d|w|y)");

    public static void main(String[] args) throws IOException {
        Path rules = null, dashboards = null, scrapes = null, docs = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rules" -> rules = Path.of(args[++i]);
                case "--dashboards" -> dashboards = Path.of(args[++i]);
                case "--scrapes" -> scrapes = Path.of(args[++i]);
                case "--docs" -> docs = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        TreeMap<String, Set<String>> used = new TreeMap<>();
        for (String[] e : expressions(rules, dashboards)) {
            for (String name : names(e[1])) {
                used.computeIfAbsent(name, k -> new TreeSet<>()).add(e[0]);
            }
        }
        Exported exported = scrapes != null ? fromScrapes(scrapes) : fromDocs(docs);
        int missing = 0;
        for (var e : used.entrySet()) {
            if (exported.has(e.getKey())) {
                System.out.println("ok: " + e.getKey());
            } else {
                missing++;
                System.out.println("MISSING: " + e.getKey() + " (used in " + e.getValue() + ") is exported by no service"
                        + (scrapes != null ? " in " + scrapes : " per " + docs));
            }
        }
        System.out.printf("%d metric names used in rules and dashboards, %d not exported (source: %s)%n",
                used.size(), missing, scrapes != null ? scrapes : docs);
        System.exit(missing == 0 ? 0 : 1);
    }

    /** (where, expression) pairs from the rule files and dashboard JSON. */
    static List<String[]> expressions(Path rules, Path dashboards) throws IOException {
        List<String[]> out = new ArrayList<>();
        for (Path f : list(rules, ".yml")) {
            for (JsonNode g : ManifestValidator.YAML.readTree(f.toFile()).path("groups")) {
                for (JsonNode r : g.path("rules")) {
                    out.add(new String[] {f.getFileName() + ":" + r.path("alert").asText(r.path("record").asText()), r.path("expr").asText()});
                }
            }
        }
        for (Path f : list(dashboards, ".json")) {
            collectExprs(ManifestValidator.JSON.readTree(f.toFile()), f.getFileName().toString(), out);
        }
        return out;
    }

    static void collectExprs(JsonNode n, String where, List<String[]> out) {
        if (n.isObject()) {
            if (n.has("expr") && n.get("expr").isTextual()) {
                out.add(new String[] {where, n.get("expr").asText()});
            }
            n.elements().forEachRemaining(c -> collectExprs(c, where, out));
        } else if (n.isArray()) {
            n.elements().forEachRemaining(c -> collectExprs(c, where, out));
        }
    }

    /** Metric names in a PromQL expression: identifiers that are not functions, keywords, labels or durations. */
    static Set<String> names(String expr) {
        String e = STRINGS.matcher(expr).replaceAll("\"\"");
        e = MATCHERS.matcher(e).replaceAll(" ");
        e = RANGES.matcher(e).replaceAll(" ");
        e = GROUPING.matcher(e).replaceAll(" ");
        e = e.replaceAll("\\$\\{?\\w+}?", " ");
        Set<String> out = new TreeSet<>();
        Matcher m = IDENT.matcher(e);
        while (m.find()) {
            String id = m.group(1);
            boolean call = m.group(2) != null;
            if (call || KEYWORDS.contains(id.toLowerCase()) || DURATION.matcher(id).matches()) {
                continue;
            }
            out.add(id);
        }
        return out;
    }

    record Exported(Set<String> names, Set<String> prefixes) {
        boolean has(String name) {
            if (names.contains(name)) return true;
            for (String suffix : List.of("_bucket", "_count", "_sum")) {
                if (name.endsWith(suffix) && names.contains(name.substring(0, name.length() - suffix.length()))) return true;
            }
            return prefixes.stream().anyMatch(name::startsWith);
        }
    }

    /** Prometheus text format: sample names, plus the family name of histograms and summaries. */
    static Exported fromScrapes(Path dir) throws IOException {
        Set<String> names = new TreeSet<>();
        List<Path> files = list(dir, "");
        if (files.isEmpty()) throw new IllegalArgumentException("no scrape files in " + dir);
        for (Path f : files) {
            for (String line : Files.readAllLines(f)) {
                line = line.strip();
                if (line.startsWith("# TYPE ")) {
                    names.add(line.split("\\s+")[2]);
                } else if (!line.isEmpty() && !line.startsWith("#")) {
                    names.add(line.split("[{\\s]", 2)[0]);
                }
            }
        }
        return new Exported(names, Set.of());
    }

    /** docs/metrics.md: the table's backticked names (histograms get _bucket/_count/_sum), and `x_*` wildcards. */
    static Exported fromDocs(Path docs) throws IOException {
        Set<String> names = new TreeSet<>();
        Set<String> prefixes = new TreeSet<>();
        for (String line : Files.readAllLines(docs)) {
            Matcher row = Pattern.compile("^\\|\\s*`([a-zA-Z_:][a-zA-Z0-9_:]*)`\\s*\\|\\s*(\\w+)").matcher(line);
            if (row.find()) {
                names.add(row.group(1));
                if (row.group(2).equals("histogram") || row.group(2).equals("summary")) {
                    for (String s : List.of("_bucket", "_count", "_sum")) names.add(row.group(1) + s);
                }
            }
            Matcher wild = Pattern.compile("`([a-zA-Z_:][a-zA-Z0-9_:]*_)\\*`").matcher(line);
            while (wild.find()) prefixes.add(wild.group(1));
        }
        if (names.isEmpty()) throw new IllegalArgumentException("no metric table found in " + docs);
        return new Exported(names, prefixes);
    }

    static List<Path> list(Path dir, String suffix) throws IOException {
        if (dir == null) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(suffix)).sorted().toList();
        }
    }
}
