/**
 * "Peek Records" above each source and stream of a pipeline while a job of that pipeline, run
 * from this document, runs on the editor's cluster. The lenses come and go with the job.
 */
import * as vscode from 'vscode';
import type { JobStore } from '../cluster/job-store.js';
import { runningJobOf } from '../cluster/running-job.js';
import { findStreams } from './stream-symbols.js';

/** Provides the Peek Records CodeLenses. */
export class PeekCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
    private readonly changeEmitter = new vscode.EventEmitter<void>();
    readonly onDidChangeCodeLenses = this.changeEmitter.event;
    private readonly subscription: vscode.Disposable;

    constructor(private readonly jobs: JobStore) {
        this.subscription = jobs.onDidChangeState(() => this.changeEmitter.fire());
    }

    async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
        const uri = document.uri.toString();
        if (!this.jobs.all().some((job) => job.documentUri === uri)) return [];
        const lenses: vscode.CodeLens[] = [];
        for (const stream of await findStreams(document)) {
            const job = runningJobOf(this.jobs, uri, stream.pipeline);
            if (!job) continue;
            lenses.push(new vscode.CodeLens(stream.nameRange, {
                title: '$(eye) Peek Records',
                tooltip: `Show a live sample of the records of ${stream.kind} ${stream.name} in ${stream.pipeline} (job ${job.jid})`,
                command: 'flowline.peekRecords',
                arguments: [document.uri, stream.pipeline, stream.name]
            }));
        }
        return lenses;
    }

    dispose(): void {
        this.subscription.dispose();
        this.changeEmitter.dispose();
    }
}
