/**
 * The lines of a line-based file source (jsonl, text) read as splits: the subtask's share of the
 * files' bytes, each split from the first line that starts in its byte range to the first line
 * that starts in the next one. Lines are numbered within the split; `lineNumber` turns such a
 * number into the file's line (counting the newlines before the split only when asked, for a bad row).
 */
import type { SourceConfig } from '../../../../protocol/logical-graph.js';
import type { SourceContext } from '../../operators/operator.js';
import { openSplitStream } from './file-progress.js';
import { assignSplits, FirstLineNumber, lineStartAtOrAfter, SplitProgress } from './file-splits.js';
import { readLines, type LineBatch } from './line-reader.js';
import { sourceEncoding } from './source-encoding.js';
import { listSourceFiles } from './source-files.js';
import type { SourceOutput } from './source-output.js';
import type { InvalidBytes } from './source-encoding.js';

/** A batch of lines of one split. */
export interface SplitLineBatch extends LineBatch {
    /** The file line of the split's line `line` (as `firstLine + i` numbers them). */
    lineNumber(line: number): number;
    /** A bad-bytes finding with its line made the file's line. */
    inFile(bad: InvalidBytes): InvalidBytes;
}

/** Yields the lines of every split of the source's files that this subtask reads, in file order. */
export async function* readSourceLines(ctx: SourceContext, config: SourceConfig, out: SourceOutput): AsyncGenerator<SplitLineBatch> {
    const files = await listSourceFiles(config.path, ctx);
    const splits = assignSplits(files, ctx.parallelism, ctx.subtaskIndex);
    const progress = new SplitProgress(ctx, splits);
    const encoding = sourceEncoding(config);
    for (const split of splits) {
        if (ctx.cancelled) return;
        const { file } = split;
        const first = lineStartAtOrAfter(file.path, split.start, file.size);
        const last = lineStartAtOrAfter(file.path, split.end, file.size);
        if (last <= first) continue;
        out.badRows.file = file.path;
        const lines = new FirstLineNumber(file.path, first);
        const lineNumber = (line: number): number => lines.absolute(line);
        const inFile = (bad: InvalidBytes): InvalidBytes => ({ ...bad, line: lines.absolute(bad.line) });
        const stream = openSplitStream(file.path, first, last, progress, split.end - split.start);
        try {
            for await (const batch of readLines(stream, encoding, first)) {
                if (ctx.cancelled) return;
                yield { ...batch, lineNumber, inFile };
            }
        } finally {
            stream.destroy();
        }
    }
    progress.finish();
}
