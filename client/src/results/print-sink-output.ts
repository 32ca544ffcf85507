/**
 * Streams the records of print sinks into the "Flowline Output" channel, prefixed like Flink's
 * print sink (`<subtask+1>> record`).
 */
import * as vscode from 'vscode';
import type { SinkRecordsMessage } from '../../../protocol/cluster-api.js';
import type { JobStore } from '../cluster/job-store.js';

/** Writes print-sink records to an output channel. */
export class PrintSinkOutput implements vscode.Disposable {
    private readonly subscription: vscode.Disposable;
    private revealed = new Set<string>();

    constructor(private readonly channel: vscode.OutputChannel, store: JobStore) {
        this.subscription = store.onRecords((message) => this.write(message));
    }

    dispose(): void { this.subscription.dispose(); }

    private write(message: SinkRecordsMessage): void {
        if (message.connector !== 'print') return;
        if (!this.revealed.has(message.jid)) {
            // Show the channel once per job, without taking the focus from the editor.
            this.revealed.add(message.jid);
            this.channel.show(true);
        }
        // The runtime formats print lines itself (with Flink's `<subtask>> ` prefix).
        const lines = message.lines ?? message.rows.map((row) => `${message.subtask + 1}> ${JSON.stringify(row)}`);
        this.channel.appendLine(lines.join('\n'));
    }
}
