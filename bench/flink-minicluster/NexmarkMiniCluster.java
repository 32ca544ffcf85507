/*
 * The Flink side of `npm run bench -- nexmark`: runs one Nexmark query's Flink SQL on Flink's
 * local MiniCluster (a TableEnvironment without a remote target) in streaming mode, and prints
 * the CPU seconds the JVM used for the query's events: the CPU of the job over the full event
 * files less that of the same job over a few events (the MiniCluster's start, planning and JIT
 * warm-up), run first in the same JVM.
 * Usage: java -cp <Flink jars>:<this class> NexmarkMiniCluster <parallelism> <statements file> <small events dir> <events dir>
 * The statements file holds the setup statements and, last, the INSERT, separated by lines ";;";
 * ${EVENTS_DIR} in it stands for the events folder.
 */
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;

public class NexmarkMiniCluster {
    private static double processCpuSeconds() {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return os.getProcessCpuTime() / 1e9;
    }

    public static void main(String[] args) throws Exception {
        int parallelism = Integer.parseInt(args[0]);
        String text = Files.readString(Path.of(args[1]));
        double[] small = runJob(parallelism, text.replace("${EVENTS_DIR}", args[2]));
        double[] full = runJob(parallelism, text.replace("${EVENTS_DIR}", args[3]));
        System.out.println("{\"cpuSeconds\": " + (full[0] - small[0]) + ", \"fullCpuSeconds\": " + full[0]
                + ", \"wallSeconds\": " + full[1] + "}");
        System.exit(0);
    }

    /** Runs the statements in a fresh TableEnvironment; returns the job's CPU and wall seconds. */
    private static double[] runJob(int parallelism, String text) throws Exception {
        List<String> statements = Arrays.stream(text.split("\n;;\n"))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        Configuration conf = new Configuration();
        conf.setString("parallelism.default", String.valueOf(parallelism));
        conf.setString("table.local-time-zone", "UTC");
        TableEnvironment tables = TableEnvironment.create(
                EnvironmentSettings.newInstance().inStreamingMode().withConfiguration(conf).build());
        for (String statement : statements.subList(0, statements.size() - 1)) tables.executeSql(statement);
        // Plan first (compile the INSERT), so the CPU measured is the job's.
        String insert = statements.get(statements.size() - 1);
        tables.explainSql(insert);
        double before = processCpuSeconds();
        long started = System.nanoTime();
        TableResult result = tables.executeSql(insert);
        result.await();
        return new double[] {processCpuSeconds() - before, (System.nanoTime() - started) / 1e9};
    }
}
