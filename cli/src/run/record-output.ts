/**
 * stdout as `flowline run` prints records to it: it slows the jobs down while the reader lags
 * (back-pressure), and notices when the reader went away (`| head` closes the pipe: EPIPE), after
 * which nothing waits for it any more, so the jobs can be cancelled promptly and quietly.
 */
export class RecordOutput {
    /** The reader of stdout went away. */
    closed = false;
    private waiters: (() => void)[] = [];
    private lastPipeline: string | undefined;

    /**
     * `headers`: print a `==> Name <==` line whenever the pipeline whose records are printed
     * changes (several pipelines on a terminal, as `tail -f` does for several files).
     */
    constructor(private readonly out: NodeJS.WriteStream, private readonly onClosed: () => void, private readonly headers = false) {
        out.on('error', (error: NodeJS.ErrnoException) => {
            if (error.code !== 'EPIPE') throw error;
            this.close();
        });
        out.on('drain', () => this.wakeWaiters());
    }

    /** Writes lines of `pipeline`; false when stdout is full (wait for whenWritable()). */
    write(pipeline: string, lines: string[]): boolean {
        if (this.closed || lines.length === 0) return true;
        let text = `${lines.join('\n')}\n`;
        if (this.headers && pipeline !== this.lastPipeline) {
            text = `${this.lastPipeline === undefined ? '' : '\n'}==> ${pipeline} <==\n${text}`;
        }
        this.lastPipeline = pipeline;
        return this.out.write(text);
    }

    /** Undefined while stdout takes more; otherwise resolves once it drained or was closed. */
    whenWritable(): Promise<void> | undefined {
        if (this.closed || !this.out.writableNeedDrain) return undefined;
        return new Promise((resolve) => this.waiters.push(resolve));
    }

    private close(): void {
        if (this.closed) return;
        this.closed = true;
        this.wakeWaiters();
        this.onClosed();
    }

    private wakeWaiters(): void {
        const waiters = this.waiters;
        this.waiters = [];
        for (const resolve of waiters) resolve();
    }
}
