/**
 * Finds the Java that runs Flink: `$JAVA_HOME/bin/java` when JAVA_HOME is set, else `java` on
 * PATH, and checks it is Java 17 or newer (Flink 2.x needs 17).
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export const MINIMUM_JAVA_VERSION = 17;

/** Java is missing or too old; the message says what was found and what to do. */
export class JavaRuntimeError extends Error {}

export interface JavaRuntime {
    executable: string;
    /** Feature version: 17, 21, ... */
    majorVersion: number;
    versionText: string;
}

export function findJava(env: NodeJS.ProcessEnv = process.env): JavaRuntime {
    const install = `Install a Java ${MINIMUM_JAVA_VERSION} (or newer) runtime, e.g. \`apt install openjdk-17-jre-headless\` or https://adoptium.net, and put it on PATH or set JAVA_HOME.`;
    let executable: string;
    if (env.JAVA_HOME) {
        executable = join(env.JAVA_HOME, 'bin', 'java');
        if (!isExecutable(executable)) throw new JavaRuntimeError(`Flink needs Java ${MINIMUM_JAVA_VERSION} or newer, but JAVA_HOME is ${env.JAVA_HOME} and ${executable} does not exist or cannot be run. ${install}`);
    } else {
        const found = (env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, 'java')).find(isExecutable);
        if (!found) throw new JavaRuntimeError(`Flink needs Java ${MINIMUM_JAVA_VERSION} or newer, but there is no \`java\` on PATH and JAVA_HOME is not set. ${install}`);
        executable = found;
    }
    const result = spawnSync(executable, ['-version'], { encoding: 'utf8', env, timeout: 30_000 });
    const output = `${result.stderr ?? ''}${result.stdout ?? ''}`;
    const match = /version "([^"]+)"/.exec(output);
    if (result.error || !match) {
        throw new JavaRuntimeError(`Flink needs Java ${MINIMUM_JAVA_VERSION} or newer, but \`${executable} -version\` failed: ${result.error?.message ?? output.trim().split('\n')[0] ?? 'no output'}. ${install}`);
    }
    const versionText = match[1];
    const parts = versionText.split(/[.+_-]/).map(Number);
    const majorVersion = parts[0] === 1 ? parts[1] : parts[0];
    if (!(majorVersion >= MINIMUM_JAVA_VERSION)) {
        throw new JavaRuntimeError(`Flink needs Java ${MINIMUM_JAVA_VERSION} or newer, but ${executable} is Java ${versionText}. ${install}`);
    }
    return { executable, majorVersion, versionText };
}

function isExecutable(file: string): boolean {
    try {
        accessSync(file, constants.X_OK);
        return true;
    } catch {
        return false;
    }
}
