/**
 * Resolves which document and pipeline a command acts on: the arguments a CodeLens or menu
 * passed, else the active .flow editor (asking which pipeline when it has several).
 */
import * as vscode from 'vscode';
import { findPipelines } from '../editor/pipeline-code-lens.js';
import { FLOW_LANGUAGE_ID } from '../language/flow-language-client.js';

/** A document and, when known, one of its pipelines. */
export interface PipelineTarget { document: vscode.TextDocument; pipeline: string | undefined }

/** The target of a command, or undefined (after telling the user) when there is none. */
export async function resolvePipelineTarget(uri: unknown, pipeline: unknown, pick: boolean): Promise<PipelineTarget | undefined> {
    let document: vscode.TextDocument | undefined;
    if (uri instanceof vscode.Uri) document = await vscode.workspace.openTextDocument(uri);
    else if (vscode.window.activeTextEditor?.document.languageId === FLOW_LANGUAGE_ID) document = vscode.window.activeTextEditor.document;
    if (!document) {
        void vscode.window.showErrorMessage('Open a .flow file first: this command acts on the pipelines of the active editor.');
        return undefined;
    }
    if (typeof pipeline === 'string') return { document, pipeline };
    if (!pick) return { document, pipeline: undefined };
    const pipelines = await findPipelines(document);
    if (pipelines.length === 0) {
        void vscode.window.showErrorMessage(`${vscode.workspace.asRelativePath(document.uri)} declares no pipeline.`);
        return undefined;
    }
    if (pipelines.length === 1) return { document, pipeline: pipelines[0].name };
    // The pipeline around the cursor, else ask.
    const cursor = vscode.window.activeTextEditor?.document === document ? vscode.window.activeTextEditor.selection.active : undefined;
    const around = cursor && pipelines.find((p) => p.range.contains(cursor));
    if (around) return { document, pipeline: around.name };
    const chosen = await vscode.window.showQuickPick(pipelines.map((p) => p.name), { placeHolder: 'Which pipeline?' });
    return chosen ? { document, pipeline: chosen } : undefined;
}
