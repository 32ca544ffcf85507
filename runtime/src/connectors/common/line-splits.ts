/**
 * The lines of a line-based file source (jsonl, text) read as splits: the subtask's share of the
 * files' bytes, each split from the first line that starts in its byte range to the first line
 * that starts in the next one. Lines are numbered within the split; `lineNumber` turns such a
 * number into the file's line (counting the newlines before the split only when asked, for a bad row).
 * Restored from a checkpoint, reading seeks to the byte offset of the next line it had not read
 * (the splits before it, and the bytes of its split before it, are not read again).
 */
import type { FileReadPosition } from '../../../../protocol/checkpoints.js';
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
    /** Where reading resumes after the batch's line `lines[i]` (for `SourceOutput.flush`). */
    resumeAfter(i: number): () => FileReadPosition;
}

/** Yields the lines of every split of the source's files that this subtask reads, in file order. */
export async function* readSourceLines(ctx: SourceContext, config: SourceConfig, out: SourceOutput): AsyncGenerator<SplitLineBatch> {
    const files = await listSourceFiles(config.path, ctx);
    const splits = assignSplits(files, ctx.parallelism, ctx.subtaskIndex);
    const progress = new SplitProgress(ctx, splits);
    const encoding = sourceEncoding(config);
    // A restore: splits before the restored position's file were read completely.
    let restored = ctx.restoredPosition?.file;
    const resumeIndex = restored === undefined ? -1 : splits.findIndex((s) => s.file.path === restored!.path);
    if (restored !== undefined && resumeIndex < 0) throw new Error(`the checkpoint's read position names ${restored.path}, which is not among the files this subtask reads now`);
    for (let index = Math.max(resumeIndex, 0); index < splits.length; index++) {
        const split = splits[index];
        if (ctx.cancelled) return;
        const { file } = split;
        const assigned = split.end - split.start;
        // Resuming, the split's first line is not looked for (that would read bytes before the
        // position): its assigned start stands in for it in the progress.
        const start = restored !== undefined ? Math.min(split.start, restored.offset) : lineStartAtOrAfter(file.path, split.start, file.size);
        const last = lineStartAtOrAfter(file.path, split.end, file.size);
        // Resuming within this split: from the next line not read, whose file line the position knows.
        const first = restored !== undefined ? restored.offset : start;
        const lines = new FirstLineNumber(file.path, first, restored?.line);
        if (restored !== undefined && last > start) progress.advance((assigned * (first - start)) / (last - start));
        restored = undefined;
        out.readTo(() => ({ path: file.path, offset: first, ...(lines.known(1) !== undefined ? { line: lines.known(1) } : {}) }));
        if (last <= first) continue;
        out.badRows.file = file.path;
        const lineNumber = (line: number): number => lines.absolute(line);
        const inFile = (bad: InvalidBytes): InvalidBytes => ({ ...bad, line: lines.absolute(bad.line) });
        const stream = openSplitStream(file.path, first, last, progress, (assigned * (last - first)) / (last - start));
        try {
            for await (const batch of readLines(stream, encoding, first)) {
                if (ctx.cancelled) return;
                const resumeAfter = (i: number) => (): FileReadPosition => {
                    const line = lines.known(batch.firstLine + i + 1);
                    return { path: file.path, offset: batch.offsetAfter(i), ...(line !== undefined ? { line } : {}) };
                };
                yield { ...batch, lineNumber, inFile, resumeAfter };
            }
        } finally {
            stream.destroy();
        }
        out.readTo(() => ({ path: file.path, offset: last }));
    }
    progress.finish();
}
