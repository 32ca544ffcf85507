/**
 * The sources and streams each pipeline of a document declares, from the language server's
 * document symbols (the outline), for Peek Records.
 */
import * as vscode from 'vscode';

/** A source or stream of a pipeline, with the range of its name. */
export interface StreamSymbol { pipeline: string; name: string; kind: 'source' | 'stream'; range: vscode.Range; nameRange: vscode.Range }

/** Every source and stream of the document's pipelines. */
export async function findStreams(document: vscode.TextDocument): Promise<StreamSymbol[]> {
    const symbols = await vscode.commands.executeCommand<(vscode.DocumentSymbol | vscode.SymbolInformation)[] | undefined>(
        'vscode.executeDocumentSymbolProvider', document.uri);
    const streams: StreamSymbol[] = [];
    for (const pipeline of symbols ?? []) {
        if (!('children' in pipeline) || !/^\s*pipeline\b/.test(document.getText(pipeline.range))) continue;
        for (const member of pipeline.children) {
            // The outline's detail starts with the declaration's keyword (`stream | filter`, `source datagen`).
            const kind = member.detail.split(/\s/)[0];
            if (kind === 'stream' || kind === 'source') {
                streams.push({ pipeline: pipeline.name, name: member.name, kind, range: member.range, nameRange: member.selectionRange });
            }
        }
    }
    return streams;
}
