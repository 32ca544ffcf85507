/** Opens a file for a bounded source and reports its read progress (bytes read / size). */
import { createReadStream, type ReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { SourceContext } from '../../operators/operator.js';
import { displayPath, formatLocation } from '../../operators/operator-error.js';
import { BadInputError } from './bad-row-handler.js';

/** A read stream over `path` that reports progress to `ctx`; a missing file is a clear error. */
export async function openSourceFile(path: string | undefined, ctx: SourceContext): Promise<ReadStream> {
    if (path === undefined) throw new BadInputError(`${ctx.node.name}: the source has no file path`);
    let size: number;
    try {
        size = (await stat(path)).size;
    } catch (error) {
        // Named at the source's line in the .flow file, where the path is written.
        const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`;
        throw new BadInputError(`${formatLocation(ctx.node.location)}: the input file of ${ctx.node.name}, ${displayPath(path)}, ${reason}`);
    }
    const stream = createReadStream(path, { highWaterMark: 256 * 1024 });
    let read = 0;
    let reported = 0;
    stream.on('data', (chunk) => {
        read += chunk.length;
        const fraction = size === 0 ? 1 : read / size;
        if (fraction - reported >= 0.01 || fraction === 1) {
            reported = fraction;
            ctx.reportProgress(fraction);
        }
    });
    return stream;
}
