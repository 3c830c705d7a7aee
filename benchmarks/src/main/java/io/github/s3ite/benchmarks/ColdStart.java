package io.github.s3ite.benchmarks;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Cold starts, beside the start-up table of {@link Benchmarks}: the standalone server from process
 * start to its first answered request, against a bare Undertow process ({@link BareUndertowStartup})
 * in the same run, as {@code java -jar} (without and with the class data archive the launcher made,
 * as the Docker image runs it) and through the launcher {@code ./s3ite}, on the benchmark's Java and
 * on Java 25 where installed; and
 * {@code new S3iteServer().start()} in fresh JVMs whose classpath is s3ite-server alone
 * ({@link LeanStartupProbe}). Each figure is the median of {@value #ROUNDS} processes, the
 * processes of one round started one after the other so that each line sees the same machine.
 */
final class ColdStart {
    private static final int ROUNDS = 9;
    private static final Pattern LISTENING = Pattern.compile("listening on http://[^ :]+:(\\d+)");
    private static final Path JAVA_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");

    private ColdStart() {
    }

    static void run(Path work) throws Exception {
        Path jar = Path.of(System.getProperty("s3ite.benchmarks.standaloneJar")).toAbsolutePath().normalize();
        Path root = jar.getParent().getParent().getParent();
        String bareClasspath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> entry.matches(".*/(undertow-core|xnio-[a-z]+|jboss-[a-z]+|wildfly-[a-z-]+|smallrye-common-[a-z]+)-[^/]*\\.jar"))
                .collect(Collectors.joining(File.pathSeparator)) + File.pathSeparator + System.getProperty("s3ite.benchmarks.classes");
        List<Path> javas = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")));
        if (Files.isExecutable(JAVA_25) && !javas.get(0).toRealPath().equals(JAVA_25.toRealPath())) {
            javas.add(JAVA_25);
        }
        System.out.printf(Locale.ROOT, "Cold start of the standalone server: process start to its first answered request (GET / on an"
                + " empty data directory); median of %d processes, one of each per round%n", ROUNDS);
        Map<String, Launch> launches = new LinkedHashMap<>();
        for (Path java : javas) {
            String version = version(java);
            launches.put("bare Undertow (the floor), Java " + version, new Launch(java, null,
                    List.of(java.toString(), "-cp", bareClasspath, BareUndertowStartup.class.getName())));
            launches.put("s3ite: java -jar, Java " + version, new Launch(java, null,
                    List.of(java.toString(), "-jar", jar.toString(), "DIR", "--port", "0")));
            // the launcher makes its archive on its first run for this jar and JVM: not timed
            long start = System.nanoTime();
            Process prepare = launcherProcess(java, root, List.of(root.resolve("s3ite").toString(), "--version")).start();
            prepare.getInputStream().transferTo(OutputStream.nullOutputStream());
            if (!prepare.waitFor(5, TimeUnit.MINUTES)) {
                prepare.destroyForcibly();
                throw new IOException("./s3ite --version did not end on Java " + version);
            }
            System.out.printf(Locale.ROOT, "  (./s3ite on Java %s: archive ready, first run %.1f s)%n", version,
                    (System.nanoTime() - start) / 1e9);
            Path archive = archiveOf(root, version);
            if (archive != null) {
                String option = archive.toString().endsWith(".aot") ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=";
                launches.put("s3ite: java -jar with the archive, Java " + version, new Launch(java, null,
                        List.of(java.toString(), option + archive, "-jar", jar.toString(), "DIR", "--port", "0")));
            }
            launches.put("s3ite: ./s3ite (class data archive), Java " + version, new Launch(java, root,
                    List.of(root.resolve("s3ite").toString(), "DIR", "--port", "0")));
        }
        Map<String, List<double[]>> results = new LinkedHashMap<>();
        launches.keySet().forEach(name -> results.put(name, new ArrayList<>()));
        for (int round = 0; round < ROUNDS; round++) {
            for (Map.Entry<String, Launch> launch : launches.entrySet()) {
                results.get(launch.getKey()).add(startAndAnswer(launch.getValue(), work));
            }
        }
        System.out.printf(Locale.ROOT, "%-48s %12s %10s %10s %12s%n", "process", "wall", "(p90)", "CPU", "vs the floor");
        String floor = null;
        for (Map.Entry<String, List<double[]>> result : results.entrySet()) {
            if (result.getKey().startsWith("bare")) {
                floor = result.getKey();
            }
            List<double[]> runs = result.getValue();
            Stats wall = Stats.of(runs.stream().mapToDouble(run -> run[0]).toArray());
            Stats cpu = Stats.of(runs.stream().mapToDouble(run -> run[1]).toArray());
            List<double[]> floorRuns = results.get(floor);
            double[] ratios = new double[runs.size()];
            for (int i = 0; i < runs.size(); i++) {
                ratios[i] = runs.get(i)[0] / floorRuns.get(i)[0];
            }
            System.out.printf(Locale.ROOT, "%-48s %9.0f ms %7.0f ms %7.0f ms %11.2fx%n", result.getKey(), wall.median(),
                    wall.p90(), cpu.median(), Stats.of(ratios).median());
        }
        System.out.println("(CPU: the process's CPU time until the answer, all its threads; vs the floor: median of each"
                + " round's ratio to the bare Undertow process of that round and Java)");
        System.out.println();
        inJvm(jar);
    }

    /** {@code new S3iteServer().start()} in fresh JVMs with s3ite-server alone on the classpath. */
    private static void inJvm(Path jar) throws Exception {
        System.out.printf(Locale.ROOT, "In-JVM cold start: new S3iteServer().start() to its first answered request, in a fresh JVM"
                + " whose classpath is s3ite-server and its dependencies alone; median of %d JVMs%n", ROUNDS);
        String classpath = jar + File.pathSeparator + System.getProperty("s3ite.benchmarks.classes");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Map<String, double[][]> results = new LinkedHashMap<>();
        results.put("no bucket", new double[ROUNDS][]);
        results.put("one declared bucket (SQLite loaded)", new double[ROUNDS][]);
        for (int round = 0; round < ROUNDS; round++) {
            results.get("no bucket")[round] = probe(List.of(java, "-cp", classpath, LeanStartupProbe.class.getName()));
            results.get("one declared bucket (SQLite loaded)")[round] =
                    probe(List.of(java, "-cp", classpath, LeanStartupProbe.class.getName(), "bucket"));
        }
        for (Map.Entry<String, double[][]> result : results.entrySet()) {
            Stats cold = Stats.of(Arrays.stream(result.getValue()).mapToDouble(run -> run[0]).toArray());
            Stats uptime = Stats.of(Arrays.stream(result.getValue()).mapToDouble(run -> run[1]).toArray());
            System.out.printf(Locale.ROOT, "  %-40s median %6.0f ms (p90 %4.0f ms), JVM uptime then %5.0f ms%n", result.getKey(),
                    cold.median(), cold.p90(), uptime.median());
        }
    }

    private static double[] probe(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Map<String, Double> values = new LinkedHashMap<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                String[] parts = line.trim().split(" ");
                if (parts.length == 2 && (parts[0].equals("cold") || parts[0].equals("uptime"))) {
                    values.put(parts[0], Double.parseDouble(parts[1]));
                }
            }
        }
        if (!process.waitFor(1, TimeUnit.MINUTES)) {
            process.destroyForcibly();
        }
        if (!values.containsKey("cold")) {
            throw new IOException("in-JVM start probe failed: " + command);
        }
        return new double[] {values.get("cold"), values.get("uptime")};
    }

    record Launch(Path java, Path root, List<String> command) {
    }

    /** Milliseconds from the process's start to the first answer, and the CPU time the process took until then. */
    private static double[] startAndAnswer(Launch launch, Path work) throws Exception {
        Path data = Files.createTempDirectory(work, "cold-start-");
        List<String> command = launch.command().stream().map(part -> part.equals("DIR") ? data.toString() : part).toList();
        ProcessBuilder builder = launch.root() != null ? launcherProcess(launch.java(), launch.root(), command)
                : new ProcessBuilder(command);
        long start = System.nanoTime();
        Process process = builder.redirectErrorStream(true).start();
        try {
            BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line;
            int port = -1;
            while (port < 0 && (line = reader.readLine()) != null) {
                Matcher matcher = LISTENING.matcher(line);
                if (matcher.find()) {
                    port = Integer.parseInt(matcher.group(1));
                }
            }
            if (port < 0) {
                throw new IOException("did not start: " + command);
            }
            FirstResponse.expect200(FirstResponse.get(port, "/"));
            double wall = (System.nanoTime() - start) / 1e6;
            return new double[] {wall, cpuMillis(process)};
        } finally {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            try (var files = Files.walk(data)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /** The launcher with {@code java} first on its PATH. */
    private static ProcessBuilder launcherProcess(Path java, Path root, List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile());
        builder.environment().put("PATH", java.getParent() + File.pathSeparator + System.getenv("PATH"));
        builder.environment().remove("JAVA_OPTS");
        return builder;
    }

    /**
     * CPU time of the process so far, with its children's that ended (the launcher's own commands:
     * its bash becomes the JVM through exec, one process throughout).
     */
    private static double cpuMillis(Process process) {
        try {
            String[] fields = Files.readString(Path.of("/proc/" + process.pid() + "/stat")).split("\\) ", 2)[1].split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12]) + Long.parseLong(fields[13])
                    + Long.parseLong(fields[14])) * 10.0;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** The archive the launcher made for this Java (see {@code ./s3ite}), or null. */
    private static Path archiveOf(Path root, String version) throws IOException {
        Path directory = root.resolve("s3ite-server/target/cds");
        String prefix = "s3ite-java" + version.split("\\.")[0] + "_";
        if (!Files.isDirectory(directory)) {
            return null;
        }
        try (var files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().startsWith(prefix))
                    .filter(file -> file.toString().endsWith(".jsa") || file.toString().endsWith(".aot"))
                    .findFirst().orElse(null);
        }
    }

    private static String version(Path java) throws Exception {
        Process process = new ProcessBuilder(java.toString(), "-version").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        Matcher matcher = Pattern.compile("version \"([0-9.]+)").matcher(output);
        return matcher.find() ? matcher.group(1) : "?";
    }
}
