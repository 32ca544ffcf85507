/**
 * A source's policy for malformed rows: `fail` stops the job with file:line:column and what was
 * expected; `skip` drops the row and counts it; `deadLetter` sends the raw row and the error to the
 * `deadLetter` side output (DEAD_LETTER_SCHEMA). Never silent.
 */
import type { ErrorPolicy } from '../../../../protocol/logical-graph.js';
import type { OperatorContext, Row } from '../../operators/operator.js';
import { displayPath, formatLocation } from '../../operators/operator-error.js';

/** A malformed input row that fails the job (fail policy). */
export class BadInputError extends Error {
    constructor(message: string) {
        super(message);
        this.name = 'BadInputError';
    }
}

/** Where a bad row was found. */
export interface BadRowPosition { line?: number; column?: number }

/** Applies a source's bad-row policy. */
export class BadRowHandler {
    private deadLetters: Row[] = [];
    /** Rows rejected so far (skipped or dead-lettered). */
    rejected = 0;
    /** After a restore: rejected rows already handled before the checkpoint, met again while re-reading. */
    private alreadyHandled = 0;

    /** The file bad rows are in: a source reading several files sets the one it reads. */
    constructor(private readonly ctx: OperatorContext, private readonly policy: ErrorPolicy, public file: string | undefined) {}

    /** `file:line:column` (or the .flow location for inline values). */
    where(pos: BadRowPosition): string {
        if (this.file === undefined) return formatLocation(this.ctx.node.location);
        return `${displayPath(this.file)}${pos.line !== undefined ? `:${pos.line}` : ''}${pos.line !== undefined && pos.column !== undefined ? `:${pos.column}` : ''}`;
    }

    /** Handles one bad row; throws under the fail policy. */
    reject(pos: BadRowPosition, raw: string, problem: string): void {
        // Under a debugger, the job may stop at the bad row before the policy acts.
        this.ctx.debugBadRow?.({ file: this.file === undefined ? undefined : displayPath(this.file), line: pos.line, raw, message: `${this.where(pos)}: ${problem}` });
        if (this.policy === 'fail') throw new BadInputError(`${this.where(pos)}: ${problem}`);
        if (this.alreadyHandled > 0) {
            this.alreadyHandled--;
            return;
        }
        this.rejected++;
        if (this.policy === 'skip') {
            this.ctx.countDropped('skipped', 1);
            return;
        }
        this.deadLetters.push({
            source: this.sourceName(),
            file: this.file === undefined ? null : displayPath(this.file),
            line: pos.line ?? null,
            raw,
            error: `${this.where(pos)}: ${problem}`
        });
    }

    /**
     * A restored source: `rejected` bad rows were counted and sent before the checkpoint. A source
     * that reads its input again from the start (`readAgain`) meets them first and passes them by;
     * one that seeks past them never meets them.
     */
    restore(rejected: number, readAgain: boolean): void {
        this.rejected = rejected;
        this.alreadyHandled = readAgain ? rejected : 0;
    }

    /** The name the source is declared with (a bad-row handler belongs to a source). */
    private sourceName(): string {
        const config = this.ctx.node.config;
        return config.kind === 'source' ? config.sourceName : this.ctx.node.name;
    }

    /** Sends the dead letters gathered since the last flush. */
    flush(): void {
        if (this.deadLetters.length === 0) return;
        const rows = this.deadLetters;
        this.deadLetters = [];
        this.ctx.emitSide('deadLetter', rows);
    }
}
