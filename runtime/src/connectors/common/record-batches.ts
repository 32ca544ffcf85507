/**
 * Reads an object-mode stream in the batches it has buffered, so a source awaits once per batch
 * rather than once per record (`for await` over a stream costs a promise per record).
 */
import type { Readable } from 'node:stream';

/** Yields every record of `stream`, as arrays of what was readable at once. */
export async function* recordBatches<T>(stream: Readable): AsyncGenerator<T[]> {
    // An error emitted while the consumer holds a batch (no `once('error')` below is waiting) is
    // not lost: it is kept in `stream.errored` and thrown at the next read. Listening to it here
    // keeps Node from treating it as unhandled meanwhile.
    const keepForNextRead = (): void => {};
    stream.on('error', keepForNextRead);
    try {
        yield* batchesOf<T>(stream);
    } finally {
        stream.off('error', keepForNextRead);
    }
}

async function* batchesOf<T>(stream: Readable): AsyncGenerator<T[]> {
    for (;;) {
        const batch: T[] = [];
        for (let item = stream.read() as T | null; item !== null; item = stream.read() as T | null) batch.push(item);
        if (batch.length > 0) {
            yield batch;
            continue;
        }
        if (stream.errored) throw stream.errored;
        if (stream.readableEnded || stream.destroyed) return;
        await new Promise<void>((resolve, reject) => {
            const settle = (err?: unknown) => {
                stream.off('readable', onReady);
                stream.off('end', onReady);
                stream.off('close', onReady);
                stream.off('error', settle);
                if (err !== undefined) reject(err);
                else resolve();
            };
            const onReady = () => settle();
            stream.once('readable', onReady);
            stream.once('end', onReady);
            stream.once('close', onReady);
            stream.once('error', settle);
        });
    }
}
