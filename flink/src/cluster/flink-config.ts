/**
 * The configuration files of a local Flink session cluster: CONF/config.yaml (Flink 2.x reads
 * only this file; a legacy flink-conf.yaml alone fails) with everything bound to 127.0.0.1, and
 * a log4j configuration writing each process's log to the file its -Dlog.file names.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface LocalFlinkPorts {
    rest: number;
    sqlGateway: number;
    /** JobManager RPC: TaskManagers find the JobManager here, so it cannot be "any port". */
    jobManagerRpc: number;
}

export interface LocalFlinkConfig {
    ports: LocalFlinkPorts;
    slots: number;
    /** Flink's tmp dirs (blobs, the unpacked RPC jar, web uploads) live here, not in /tmp. */
    tmpDir: string;
}

/** config.yaml as flat `key: value` lines (valid YAML; Flink accepts dotted keys). */
export function configYaml(config: LocalFlinkConfig): string {
    const settings: Record<string, string | number> = {
        'jobmanager.rpc.address': '127.0.0.1',
        'jobmanager.bind-host': '127.0.0.1',
        'jobmanager.rpc.port': config.ports.jobManagerRpc,
        'jobmanager.memory.process.size': '1024m',
        'taskmanager.bind-host': '127.0.0.1',
        'taskmanager.host': '127.0.0.1',
        'taskmanager.numberOfTaskSlots': config.slots,
        'taskmanager.memory.process.size': '1728m',
        'parallelism.default': 1,
        'rest.address': '127.0.0.1',
        'rest.bind-address': '127.0.0.1',
        'rest.port': config.ports.rest,
        // 0 = any free port: the TaskManager learns the blob port from the JobManager.
        'blob.server.port': 0,
        'io.tmp.dirs': config.tmpDir,
        'web.tmpdir': join(config.tmpDir, 'web'),
        'sql-gateway.endpoint.rest.address': '127.0.0.1',
        'sql-gateway.endpoint.rest.bind-address': '127.0.0.1',
        'sql-gateway.endpoint.rest.port': config.ports.sqlGateway
    };
    const lines = Object.entries(settings).map(([key, value]) => `${key}: ${typeof value === 'number' ? value : JSON.stringify(value)}`);
    return `# Written by \`flowline flink start\`; rewritten on each start.\n${lines.join('\n')}\n`;
}

const LOG4J = `# Written by \`flowline flink start\`: each process logs to the file its -Dlog.file names.
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = MainAppender
logger.shaded_zookeeper.name = org.apache.flink.shaded.zookeeper3
logger.shaded_zookeeper.level = WARN
logger.netty.name = org.jboss.netty.channel.DefaultChannelPipeline
logger.netty.level = ERROR
appender.main.name = MainAppender
appender.main.type = File
appender.main.append = false
appender.main.fileName = \${sys:log.file}
appender.main.layout.type = PatternLayout
appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
`;

/** Writes config.yaml and log4j.properties into confDir. */
export async function writeFlinkConfig(confDir: string, config: LocalFlinkConfig): Promise<void> {
    await mkdir(confDir, { recursive: true });
    await writeFile(join(confDir, 'config.yaml'), configYaml(config));
    await writeFile(join(confDir, 'log4j.properties'), LOG4J);
}

/**
 * The module flags flink-dist's scripts pass on Java 17 (its default `env.java.default-opts.all`):
 * Flink's serializers and RPC reach into these JDK internals.
 */
export const JAVA_17_MODULE_FLAGS: readonly string[] = [
    '--add-exports=java.base/sun.net.util=ALL-UNNAMED',
    '--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED',
    '--add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED',
    '--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED',
    '--add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED',
    '--add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED',
    '--add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED',
    '--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED',
    '--add-opens=java.base/java.lang=ALL-UNNAMED',
    '--add-opens=java.base/java.net=ALL-UNNAMED',
    '--add-opens=java.base/java.io=ALL-UNNAMED',
    '--add-opens=java.base/java.nio=ALL-UNNAMED',
    '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED',
    '--add-opens=java.base/java.lang.reflect=ALL-UNNAMED',
    '--add-opens=java.base/java.text=ALL-UNNAMED',
    '--add-opens=java.base/java.time=ALL-UNNAMED',
    '--add-opens=java.base/java.util=ALL-UNNAMED',
    '--add-opens=java.base/java.util.concurrent=ALL-UNNAMED',
    '--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED',
    '--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED'
];
