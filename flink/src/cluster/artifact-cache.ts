/**
 * Downloads the locked Flink jars from a Maven repository (Maven Central by default) into the
 * user's cache directory, verifying each one's size and SHA-256. A jar that is missing, truncated
 * or corrupt is downloaded again; a download is written to a temporary file and renamed into
 * place only once verified, so an interrupted run never leaves a bad jar behind.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { coordinates, type ArtifactLock, type LockedArtifact } from './artifact-lock.js';

export const MAVEN_CENTRAL = 'https://repo.maven.apache.org/maven2';

/** An artifact that could not be had: which one, from where, and why. */
export class ArtifactDownloadError extends Error {}

/** `$FLOWLINE_CACHE_DIR`, else `$XDG_CACHE_HOME/flowline`, else `~/.cache/flowline`. */
export function flowlineCacheDir(env: NodeJS.ProcessEnv = process.env): string {
    if (env.FLOWLINE_CACHE_DIR) return env.FLOWLINE_CACHE_DIR;
    if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'flowline');
    return join(homedir(), '.cache', 'flowline');
}

/** `$FLOWLINE_MAVEN_REPOSITORY` (a mirror of Maven Central), else Maven Central. */
export function mavenRepositoryUrl(env: NodeJS.ProcessEnv = process.env): string {
    return (env.FLOWLINE_MAVEN_REPOSITORY || MAVEN_CENTRAL).replace(/\/+$/, '');
}

export interface ArtifactCacheOptions {
    cacheDir: string;
    repositoryUrl: string;
    /** Downloads at the same time (default 4). */
    concurrency?: number;
    /** One line per event worth telling a user (downloads, corrupt files). */
    log?: (line: string) => void;
}

export interface EnsuredArtifacts {
    /** Absolute jar paths, in lock order: the cluster's classpath. */
    jars: string[];
    downloadedCount: number;
    downloadedBytes: number;
    /** Jars that were in the cache but did not match the lock (and were downloaded again). */
    replacedCorrupt: string[];
    millis: number;
}

/** Makes every locked jar present and verified in the cache; downloads only what is missing or bad. */
export async function ensureArtifacts(lock: ArtifactLock, options: ArtifactCacheOptions): Promise<EnsuredArtifacts> {
    const started = Date.now();
    const root = join(options.cacheDir, 'maven');
    const log = options.log ?? (() => undefined);
    const jars = lock.artifacts.map((a) => join(root, ...a.path.split('/')));
    const missing: LockedArtifact[] = [];
    const replacedCorrupt: string[] = [];
    await forEachLimited(lock.artifacts, 2, async (artifact, i) => {
        const state = await cachedState(jars[i], artifact);
        if (state === 'ok') return;
        if (state === 'corrupt') {
            replacedCorrupt.push(coordinates(artifact));
            log(`${coordinates(artifact)} in the cache (${jars[i]}) does not match its checksum; downloading it again.`);
            await rm(jars[i], { force: true });
        }
        missing.push(artifact);
    });
    if (missing.length > 0) {
        const bytes = missing.reduce((sum, a) => sum + a.size, 0);
        log(`Downloading ${missing.length} Flink ${lock.flinkVersion} artifacts (${mib(bytes)}) from ${options.repositoryUrl} into ${root} ...`);
        const failures: string[] = [];
        await forEachLimited(missing, options.concurrency ?? 4, async (artifact) => {
            try {
                await download(artifact, options.repositoryUrl, join(root, ...artifact.path.split('/')));
            } catch (err) {
                failures.push(err instanceof Error ? err.message : String(err));
            }
        });
        if (failures.length > 0) {
            const shown = failures.slice(0, 5).join('\n');
            const more = failures.length > 5 ? `\n(and ${failures.length - 5} more)` : '';
            throw new ArtifactDownloadError(`${failures.length} of ${missing.length} Flink artifacts could not be downloaded:\n${shown}${more}\n` +
                'Set FLOWLINE_MAVEN_REPOSITORY to a mirror of Maven Central if this machine cannot reach it.');
        }
        log(`Downloaded ${missing.length} artifacts (${mib(bytes)}) in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    }
    return {
        jars,
        downloadedCount: missing.length,
        downloadedBytes: missing.reduce((sum, a) => sum + a.size, 0),
        replacedCorrupt,
        millis: Date.now() - started
    };
}

async function cachedState(file: string, artifact: LockedArtifact): Promise<'ok' | 'missing' | 'corrupt'> {
    const info = await stat(file).catch(() => undefined);
    if (!info) return 'missing';
    if (info.size !== artifact.size) return 'corrupt';
    return (await sha256OfFile(file)) === artifact.sha256 ? 'ok' : 'corrupt';
}

async function sha256OfFile(file: string): Promise<string> {
    const hash = createHash('sha256');
    await pipeline(createReadStream(file), hash);
    return hash.digest('hex');
}

async function download(artifact: LockedArtifact, repositoryUrl: string, target: string): Promise<void> {
    const url = `${repositoryUrl}/${artifact.path}`;
    const fail = (why: string) => new ArtifactDownloadError(`${coordinates(artifact)} from ${url}: ${why}`);
    let response: Response;
    try {
        response = await fetch(url, { signal: AbortSignal.timeout(300_000) });
    } catch (err) {
        throw fail(networkReason(err));
    }
    if (!response.ok || !response.body) throw fail(`HTTP ${response.status} ${response.statusText}`.trim());
    await mkdir(dirname(target), { recursive: true });
    const partial = `${target}.${randomBytes(4).toString('hex')}.part`;
    const hash = createHash('sha256');
    let size = 0;
    const hashing = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
            hash.update(chunk);
            size += chunk.length;
            callback(null, chunk);
        }
    });
    try {
        await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), hashing, createWriteStream(partial));
        const sha256 = hash.digest('hex');
        if (size !== artifact.size) throw fail(`got ${size} bytes, the lock says ${artifact.size}`);
        if (sha256 !== artifact.sha256) throw fail(`SHA-256 ${sha256} does not match the lock's ${artifact.sha256}`);
        await rename(partial, target);
    } catch (err) {
        await rm(partial, { force: true });
        if (err instanceof ArtifactDownloadError) throw err;
        throw fail(networkReason(err));
    }
}

function networkReason(err: unknown): string {
    if (!(err instanceof Error)) return String(err);
    const cause = (err as { cause?: unknown }).cause;
    return cause instanceof Error ? `${err.message} (${cause.message})` : err.message;
}

function mib(bytes: number): string {
    return `${(bytes / 1048576).toFixed(1)} MiB`;
}

async function forEachLimited<T>(items: T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
    let next = 0;
    const worker = async (): Promise<void> => {
        while (next < items.length) {
            const index = next++;
            await work(items[index], index);
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
