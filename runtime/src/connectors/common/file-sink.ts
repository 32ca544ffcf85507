/**
 * What csv and jsonl sinks share: where their text goes. Without checkpointing, to a temporary
 * file renamed into place when the job finishes (AtomicFileWriter); in a checkpointed job, to
 * part files committed when the checkpoint covering them completes (TwoPhaseFileWriter), so the
 * output holds each record exactly once whatever fails and restarts.
 */
import type { FileSinkState } from '../../../../protocol/checkpoints.js';
import type { LogicalNode } from '../../../../protocol/logical-graph.js';
import type { OperatorContext, Row, SinkFunction } from '../../operators/operator.js';
import { AtomicFileWriter, partPath } from './atomic-file-writer.js';
import { TwoPhaseFileWriter } from './two-phase-file-writer.js';

export abstract class FileSink implements SinkFunction {
    private atomic: AtomicFileWriter | undefined;
    private twoPhase: TwoPhaseFileWriter | undefined;

    constructor(protected readonly node: LogicalNode, private readonly format: string) {}

    /** The text the output starts with (a csv header), if any. */
    protected abstract header(): string | undefined;
    /** The text of a batch of records. */
    protected abstract text(rows: Row[]): string;

    open(ctx: OperatorContext): void {
        const config = this.node.config;
        if (config.kind !== 'sink' || config.path === undefined) throw new Error(`${this.node.name}: the ${this.format} sink has no file path`);
        const path = partPath(config.path, ctx.subtaskIndex, ctx.parallelism);
        if (ctx.checkpointed) {
            this.twoPhase = new TwoPhaseFileWriter(path, ctx.checkpointed.jobId, ctx.checkpointed.attempt, this.header());
            return;
        }
        this.atomic = new AtomicFileWriter(path);
        this.atomic.open();
        const header = this.header();
        if (header !== undefined) this.atomic.write(header);
    }

    write(rows: Row[]): void {
        const text = this.text(rows);
        if (this.twoPhase) this.twoPhase.write(text);
        else this.atomic!.write(text);
    }

    commit(): void {
        // A checkpointed job's parts are committed by the coordinator (finalParts).
        this.atomic?.commit();
    }

    abort(): void {
        this.atomic?.abort();
        this.twoPhase?.abort();
    }

    snapshotState(): FileSinkState {
        return this.checkpointed().prepare();
    }

    restoreState(state: FileSinkState): void {
        this.checkpointed().restore(state);
    }

    checkpointComplete(_checkpointId: number, committed?: readonly string[]): void {
        if (committed) this.twoPhase?.committed(committed);
    }

    finalParts(): FileSinkState {
        return this.checkpointed().finish();
    }

    private checkpointed(): TwoPhaseFileWriter {
        if (!this.twoPhase) throw new Error(`${this.node.name}: the sink was not opened for a checkpointed job`);
        return this.twoPhase;
    }
}
