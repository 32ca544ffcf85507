/**
 * The exact jars of a local Flink session cluster, as locked in flink/artifacts.lock.json by
 * scripts/flink/resolve-artifacts.sh (Maven resolves them once; users need no Maven).
 */
import lockFile from '../../artifacts.lock.json' with { type: 'json' };

/** One jar of the cluster's classpath, at its Maven repository layout path. */
export interface LockedArtifact {
    group: string;
    artifact: string;
    version: string;
    classifier?: string;
    /** Path under the repository root, e.g. org/apache/flink/flink-csv/2.3.0/flink-csv-2.3.0.jar. */
    path: string;
    size: number;
    sha1: string;
    sha256: string;
}

export interface ArtifactLock {
    flinkVersion: string;
    artifactCount: number;
    totalBytes: number;
    artifacts: LockedArtifact[];
}

/** The lock this Flowline was built with. */
export const FLINK_ARTIFACT_LOCK: ArtifactLock = lockFile as ArtifactLock;

/** group:artifact:version[:classifier], as Maven names an artifact. */
export function coordinates(artifact: LockedArtifact): string {
    return [artifact.group, artifact.artifact, artifact.version, ...(artifact.classifier ? [artifact.classifier] : [])].join(':');
}
