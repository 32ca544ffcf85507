/**
 * What csv and jsonl sinks share: where their text goes. Without checkpointing, to a temporary
 * file renamed into place when the job finishes (AtomicFileWriter); in a checkpointed job, to
 * part files committed when the checkpoint covering them completes (TwoPhaseFileWriter), so the
 * output holds each record exactly once whatever fails and restarts.
 *
 * A partitioned sink (`partitioned by dt, hm`, Flink's `PARTITIONED BY`) writes into its path as a
 * folder: each record goes to the file `<folder>/dt=.../hm=.../part-<subtask>.<ext>` of its
 * partition (partition-path.ts), without the partition fields, each file written as above (one
 * writer per partition this subtask has seen).
 */
import type { FileSinkState } from '../../../../protocol/checkpoints.js';
import type { LogicalNode, SchemaField } from '../../../../protocol/logical-graph.js';
import type { OperatorContext, Row, SinkFunction } from '../../operators/operator.js';
import { AtomicFileWriter, partPath } from './atomic-file-writer.js';
import { PartitionFolders } from './partition-path.js';
import { TwoPhaseFileWriter } from './two-phase-file-writer.js';
import { join } from 'node:path';

/** The writer of one output file: atomic, or two-phase in a checkpointed job. */
interface OutputFile {
    atomic?: AtomicFileWriter;
    twoPhase?: TwoPhaseFileWriter;
}

export abstract class FileSink implements SinkFunction {
    /** Output files by partition folder ('' for an unpartitioned sink's one file). */
    private readonly files = new Map<string, OutputFile>();
    private ctx!: OperatorContext;
    private readonly partitionBy: readonly string[];
    private readonly folders: PartitionFolders;
    /** The fields the files hold: all but the partition fields. */
    protected readonly fileSchema: SchemaField[];

    constructor(protected readonly node: LogicalNode, private readonly format: string) {
        this.partitionBy = node.config.kind === 'sink' ? node.config.partitionBy ?? [] : [];
        this.fileSchema = node.schema.filter((f) => !this.partitionBy.includes(f.name));
        this.folders = new PartitionFolders(this.partitionBy);
    }

    /** The text the output starts with (a csv header), if any. */
    protected abstract header(): string | undefined;
    /** The text of a batch of records. */
    protected abstract text(rows: Row[]): string;

    open(ctx: OperatorContext): void {
        const config = this.node.config;
        if (config.kind !== 'sink' || config.path === undefined) throw new Error(`${this.node.name}: the ${this.format} sink has no file path`);
        this.ctx = ctx;
        // An unpartitioned sink's file exists even when no record comes (empty, or just its header).
        if (this.partitionBy.length === 0) this.fileOf('');
    }

    write(rows: Row[]): void {
        if (this.partitionBy.length === 0) {
            this.writeTo(this.fileOf(''), this.text(rows));
            return;
        }
        const byFolder = new Map<string, Row[]>();
        for (const row of rows) {
            const folder = this.folders.folderOf(row);
            const group = byFolder.get(folder);
            if (group === undefined) byFolder.set(folder, [row]);
            else group.push(row);
        }
        for (const [folder, group] of byFolder) this.writeTo(this.fileOf(folder), this.text(group));
    }

    commit(): void {
        // A checkpointed job's parts are committed by the coordinator (finalParts).
        for (const file of this.files.values()) file.atomic?.commit();
    }

    abort(): void {
        for (const file of this.files.values()) {
            file.atomic?.abort();
            file.twoPhase?.abort();
        }
    }

    snapshotState(): FileSinkState {
        return this.stateOf((writer) => writer.prepare());
    }

    restoreState(state: FileSinkState): void {
        this.files.clear();
        if (this.partitionBy.length === 0) {
            this.twoPhaseOf('').restore(state);
            return;
        }
        for (const partition of state.partitions ?? []) {
            const writer = new TwoPhaseFileWriter(partition.target, this.checkpointed().jobId, this.checkpointed().attempt, this.header());
            writer.restore(partition);
            this.files.set(partition.target, { twoPhase: writer });
        }
    }

    checkpointComplete(_checkpointId: number, committed?: readonly string[]): void {
        if (committed) for (const file of this.files.values()) file.twoPhase?.committed(committed);
    }

    finalParts(): FileSinkState {
        return this.stateOf((writer) => writer.finish());
    }

    /** The sink's state: its one file's, or (partitioned) its folder with each partition file's. */
    private stateOf(take: (writer: TwoPhaseFileWriter) => FileSinkState): FileSinkState {
        if (this.partitionBy.length === 0) return take(this.twoPhaseOf(''));
        const partitions = [...this.files.values()].map((file) => take(file.twoPhase ?? this.notCheckpointed()));
        return { target: this.folder(), pending: [], partsWritten: 0, partitions };
    }

    private writeTo(file: OutputFile, text: string): void {
        if (file.twoPhase) file.twoPhase.write(text);
        else file.atomic!.write(text);
    }

    /** The output file of a partition folder (opened on first use). */
    private fileOf(folder: string): OutputFile {
        const path = this.partitionBy.length === 0
            ? partPath(this.folder(), this.ctx.subtaskIndex, this.ctx.parallelism)
            : join(this.folder(), folder, `part-${this.ctx.subtaskIndex}.${this.format}`);
        let file = this.files.get(path);
        if (file !== undefined) return file;
        const checkpointed = this.ctx.checkpointed;
        if (checkpointed) {
            file = { twoPhase: new TwoPhaseFileWriter(path, checkpointed.jobId, checkpointed.attempt, this.header()) };
        } else {
            const atomic = new AtomicFileWriter(path);
            atomic.open();
            const header = this.header();
            if (header !== undefined) atomic.write(header);
            file = { atomic };
        }
        this.files.set(path, file);
        return file;
    }

    private twoPhaseOf(folder: string): TwoPhaseFileWriter {
        return this.fileOf(folder).twoPhase ?? this.notCheckpointed();
    }

    private folder(): string {
        return (this.node.config as { path: string }).path;
    }

    private checkpointed(): { jobId: string; attempt: number } {
        return this.ctx.checkpointed ?? this.notCheckpointed();
    }

    private notCheckpointed(): never {
        throw new Error(`${this.node.name}: the sink was not opened for a checkpointed job`);
    }
}
