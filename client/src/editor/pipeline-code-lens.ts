/**
 * "Run | Debug | Deploy to Flink | Show Graph" above each pipeline. Pipelines are found through the language server's
 * document symbols (no parsing in the extension host). In Restricted Mode, Run is replaced by
 * an explanation of why it is disabled (and neither Debug nor Deploy to Flink is offered).
 *
 * VS Code asks for CodeLenses as soon as the first file opens, which is before the language
 * server is ready: the symbol request then finds no provider and returns nothing, and VS Code
 * would not ask again until the next edit. So the lenses are asked for again once the server is
 * ready, and again when a document that had none gets its first diagnostics (the server has
 * then parsed it).
 */
import * as vscode from 'vscode';

/** A pipeline declared in a document. */
export interface PipelineSymbol { name: string; range: vscode.Range }

/** The pipelines of a document, from the language server's document symbols. */
export async function findPipelines(document: vscode.TextDocument): Promise<PipelineSymbol[]> {
    const symbols = await vscode.commands.executeCommand<(vscode.DocumentSymbol | vscode.SymbolInformation)[] | undefined>(
        'vscode.executeDocumentSymbolProvider', document.uri);
    const pipelines: PipelineSymbol[] = [];
    for (const symbol of symbols ?? []) {
        const range = 'range' in symbol ? symbol.range : symbol.location.range;
        // Schemas, sources and pipelines are all top-level symbols; the keyword tells them apart.
        if (/^\s*pipeline\b/.test(document.getText(range))) pipelines.push({ name: symbol.name, range });
    }
    return pipelines;
}

/** Provides the pipeline CodeLenses. */
export class PipelineCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
    private readonly changeEmitter = new vscode.EventEmitter<void>();
    readonly onDidChangeCodeLenses = this.changeEmitter.event;
    /** Documents whose last answer had no pipeline (perhaps because the server was not ready). */
    private readonly withoutLenses = new Set<string>();
    private readonly subscriptions = [
        vscode.workspace.onDidGrantWorkspaceTrust(() => this.changeEmitter.fire()),
        vscode.languages.onDidChangeDiagnostics((event) => {
            if (event.uris.some((uri) => this.withoutLenses.has(uri.toString()))) this.changeEmitter.fire();
        })
    ];

    /** Makes VS Code ask for the lenses of every visible document again. */
    refresh(): void {
        this.changeEmitter.fire();
    }

    async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
        const lenses: vscode.CodeLens[] = [];
        const pipelines = await findPipelines(document);
        if (pipelines.length === 0) this.withoutLenses.add(document.uri.toString());
        else this.withoutLenses.delete(document.uri.toString());
        for (const pipeline of pipelines) {
            const at = new vscode.Range(pipeline.range.start, pipeline.range.start);
            if (vscode.workspace.isTrusted) {
                lenses.push(new vscode.CodeLens(at, { title: '$(play) Run', tooltip: `Run ${pipeline.name} on the local cluster`, command: 'flowline.runPipeline', arguments: [document.uri, pipeline.name] }));
                lenses.push(new vscode.CodeLens(at, { title: '$(debug-alt) Debug', tooltip: `Debug ${pipeline.name}: stop at breakpoints on its operators`, command: 'flowline.debugPipeline', arguments: [document.uri, pipeline.name] }));
                lenses.push(new vscode.CodeLens(at, { title: '$(cloud-upload) Deploy to Flink', tooltip: `Deploy ${pipeline.name} to the Flink cluster as Flink SQL`, command: 'flowline.deployToFlink', arguments: [document.uri, pipeline.name] }));
            } else {
                lenses.push(new vscode.CodeLens(at, { title: '$(lock) Run disabled in Restricted Mode', tooltip: 'Running and debugging execute code and write files; trust this folder to run pipelines.', command: 'flowline.explainRestrictedMode' }));
            }
            lenses.push(new vscode.CodeLens(at, { title: 'Show Graph', tooltip: `Show the job graph of ${pipeline.name}`, command: 'flowline.showJobGraph', arguments: [document.uri, pipeline.name] }));
        }
        return lenses;
    }

    dispose(): void {
        for (const subscription of this.subscriptions) subscription.dispose();
        this.changeEmitter.dispose();
    }
}
