/** Opens one split of a file for a bounded source, reporting the bytes read to its progress. */
import { createReadStream, type ReadStream } from 'node:fs';
import type { SplitProgress } from './file-splits.js';

/**
 * Bytes per read. The text a reader decodes from a chunk must stay below V8's large-object size
 * (128 KB): decoding 22 MB in 256 KB strings cost 190 ms of CPU, in 64 KB strings 6 ms
 * (docs/benchmarks.md, "CSV files"). Tests make it small to put chunk ends everywhere.
 */
export const splitReads = {
    bytes: 64 * 1024
};

/**
 * A read stream over bytes [from, to) of `path`. The split was assigned `assigned` bytes but reads
 * from its first record to the next split's first record: progress counts its bytes scaled to
 * the assigned size, so a subtask reaches exactly 100 % at the end of its last split.
 */
export function openSplitStream(path: string, from: number, to: number, progress: SplitProgress, assigned: number): ReadStream {
    const stream = createReadStream(path, { start: from, end: Math.max(from, to) - 1, highWaterMark: splitReads.bytes });
    const scale = to > from ? assigned / (to - from) : 0;
    stream.on('data', (chunk) => progress.advance(chunk.length * scale));
    return stream;
}
