/**
 * Peek Records: a live sample of the records of a running job's stream. Invoked from the stream
 * CodeLens (uri, pipeline, stream), from an edge of the job graph (a {@link PeekTarget}), or from
 * the editor's context menu (the stream or source whose name or declaration is at the cursor).
 */
import * as vscode from 'vscode';
import { runningJobOf } from '../cluster/running-job.js';
import { findStreams } from '../editor/stream-symbols.js';
import type { FlowlineContext } from '../flowline-context.js';
import { FLOW_LANGUAGE_ID } from '../language/flow-language-client.js';
import { ensureTrustedForRun } from '../trust/restricted-mode.js';
import { PeekRecordsPanel, type PeekTarget } from '../webviews/peek-records/peek-records-panel.js';

function isPeekTarget(value: unknown): value is PeekTarget {
    return typeof value === 'object' && value !== null && typeof (value as PeekTarget).jid === 'string' && typeof (value as PeekTarget).target === 'object';
}

/** Opens the Peek Records view; resolves with the panel, or undefined after telling the user why not. */
export function peekRecords(ctx: FlowlineContext) {
    return async (first?: unknown, pipelineArg?: unknown, streamArg?: unknown): Promise<PeekRecordsPanel | undefined> => {
        if (!(await ensureTrustedForRun())) return undefined;
        const target = isPeekTarget(first) ? first : await streamTarget(ctx, first, pipelineArg, streamArg);
        if (!target) return undefined;
        try {
            return await PeekRecordsPanel.show(ctx, target);
        } catch (err) {
            void vscode.window.showErrorMessage(`Could not peek at ${target.label}: ${err instanceof Error ? err.message : String(err)}`);
            return undefined;
        }
    };
}

/** The stream named by a CodeLens, or the one at the cursor, and the job that runs it. */
async function streamTarget(ctx: FlowlineContext, uri: unknown, pipeline: unknown, stream: unknown): Promise<PeekTarget | undefined> {
    const editor = vscode.window.activeTextEditor;
    const document = uri instanceof vscode.Uri ? await vscode.workspace.openTextDocument(uri)
        : editor?.document.languageId === FLOW_LANGUAGE_ID ? editor.document : undefined;
    if (!document) {
        void vscode.window.showErrorMessage('Open a .flow file and put the cursor on a stream name: Peek Records shows the records of a stream of a running job.');
        return undefined;
    }
    let chosen: { pipeline: string; name: string; kind: string } | undefined;
    if (typeof pipeline === 'string' && typeof stream === 'string') {
        chosen = { pipeline, name: stream, kind: 'stream' };
    } else {
        const streams = await findStreams(document);
        const cursor = editor?.document === document ? editor.selection.active : undefined;
        const word = cursor && document.getText(document.getWordRangeAtPosition(cursor));
        // The name under the cursor (a use or the declaration), else the declaration around it.
        const around = cursor && streams.filter((s) => s.range.contains(cursor));
        chosen = streams.find((s) => s.name === word && (around ?? []).some((a) => a.pipeline === s.pipeline))
            ?? streams.find((s) => s.name === word) ?? around?.[0];
        if (!chosen) {
            void vscode.window.showErrorMessage('Put the cursor on the name of a stream or source: Peek Records shows the records flowing there while the pipeline runs.');
            return undefined;
        }
    }
    const job = runningJobOf(ctx.jobs, document.uri.toString(), chosen.pipeline);
    if (!job) {
        const run = `Run ${chosen.pipeline}`;
        const choice = await vscode.window.showInformationMessage(
            `Peek Records shows the records of a running job, and no job of ${chosen.pipeline} runs now.`, run);
        if (choice !== run) return undefined;
        const jid = await vscode.commands.executeCommand<string | undefined>('flowline.runPipeline', document.uri, chosen.pipeline);
        if (!jid) return undefined;
        return { jid, pipeline: chosen.pipeline, documentUri: document.uri.toString(), target: { stream: chosen.name }, label: `${chosen.kind} ${chosen.name}` };
    }
    return { jid: job.jid, pipeline: chosen.pipeline, documentUri: document.uri.toString(), target: { stream: chosen.name }, label: `${chosen.kind} ${chosen.name}` };
}
