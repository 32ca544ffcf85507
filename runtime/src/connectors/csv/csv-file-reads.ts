/**
 * A byte range of a file as the fast csv reader takes it: read 1 MB at a time, handed on in
 * pieces of `splitReads.bytes` (64 KB). A read stream of 64 KB chunks cost ~50 ms of CPU per
 * 22 MB in stream machinery and one thread-pool round trip per chunk, 1 MB reads ~5 ms
 * (docs/benchmarks.md, "CSV files"); the pieces keep each decoded string below V8's large-object
 * size, as the 64 KB chunks did.
 */
import { close, open, read } from 'node:fs';
import { promisify } from 'node:util';
import { splitReads } from '../common/file-progress.js';

/** Bytes per read. */
const READ_BYTES = 1024 * 1024;

const openFile = promisify(open);
const closeFile = promisify(close);
const readInto = (fd: number, buffer: Buffer, position: number): Promise<number> =>
    new Promise((resolve, reject) => read(fd, buffer, 0, buffer.length, position, (error, bytesRead) => (error ? reject(error) : resolve(bytesRead))));

/**
 * The bytes [from, to) of `path` in pieces (subarrays of each read's buffer, which is not reused:
 * a reader may keep a piece), calling `onBytes` with each piece's length as it is handed on.
 */
export async function* fileRangePieces(path: string, from: number, to: number, onBytes: (n: number) => void): AsyncGenerator<Buffer> {
    const piece = splitReads.bytes;
    const fd = await openFile(path, 'r');
    try {
        for (let at = from; at < to;) {
            const buffer = Buffer.allocUnsafeSlow(Math.min(Math.max(READ_BYTES, piece), to - at));
            const bytesRead = await readInto(fd, buffer, at);
            if (bytesRead === 0) return; // the file is shorter than it was
            at += bytesRead;
            for (let p = 0; p < bytesRead; p += piece) {
                const bytes = buffer.subarray(p, Math.min(p + piece, bytesRead));
                onBytes(bytes.length);
                yield bytes;
            }
        }
    } finally {
        await closeFile(fd);
    }
}
