/**
 * Writes Nexmark events to files: DIR/person.jsonl, DIR/auction.jsonl, DIR/bid.jsonl, one JSON
 * object per line with Flink Nexmark's field names, timestamps as "yyyy-MM-dd HH:mm:ss.SSS"
 * (UTC): the form Flink's json format reads into TIMESTAMP(3) by default and the local jsonl
 * source reads as UTC. The same events a `nexmark.*` source with these options generates.
 */
import { closeSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { NEXMARK_KINDS, NEXMARK_SCHEMAS, type NexmarkKind, type NexmarkOptions } from '../../../../protocol/nexmark.js';
import { NexmarkGenerator } from './nexmark-generator.js';

/** Epoch milliseconds as Flink SQL's timestamp text, in UTC: `2024-01-01 00:00:00.000`. */
export function sqlTimestampText(ms: number): string {
    return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

/** The file of a kind's events in `dir`. */
export function nexmarkFile(dir: string, kind: NexmarkKind): string {
    return join(dir, `${kind}.jsonl`);
}

/** Writes the bounded event set of `options` (events required) into `dir`; returns the count per kind. */
export function writeNexmarkFiles(options: NexmarkOptions, dir: string): Record<NexmarkKind, number> {
    if (options.events === undefined) throw new Error('nexmark generate: the number of events is required (files are bounded)');
    mkdirSync(dir, { recursive: true });
    const generator = new NexmarkGenerator(options);
    const timestampFields = Object.fromEntries(NEXMARK_KINDS.map((k) => [k, NEXMARK_SCHEMAS[k].filter((f) => f.type.kind === 'timestamp').map((f) => f.name)]));
    const counts: Record<NexmarkKind, number> = { person: 0, auction: 0, bid: 0 };
    const pending: Record<NexmarkKind, string[]> = { person: [], auction: [], bid: [] };
    // Written to temporary names and renamed at the end, so a failed run leaves no half file behind.
    const fds = Object.fromEntries(NEXMARK_KINDS.map((k) => [k, openSync(`${nexmarkFile(dir, k)}.tmp`, 'w')])) as Record<NexmarkKind, number>;
    const flush = (kind: NexmarkKind): void => {
        if (pending[kind].length === 0) return;
        writeSync(fds[kind], pending[kind].join(''));
        pending[kind] = [];
    };
    try {
        for (let n = 0; n < options.events; n++) {
            const { kind, row } = generator.event(n);
            for (const f of timestampFields[kind]) row[f] = sqlTimestampText(row[f] as number);
            pending[kind].push(`${JSON.stringify(row)}\n`);
            counts[kind]++;
            if (pending[kind].length >= 4096) flush(kind);
        }
        for (const kind of NEXMARK_KINDS) flush(kind);
    } finally {
        for (const kind of NEXMARK_KINDS) closeSync(fds[kind]);
    }
    for (const kind of NEXMARK_KINDS) renameSync(`${nexmarkFile(dir, kind)}.tmp`, nexmarkFile(dir, kind));
    return counts;
}
