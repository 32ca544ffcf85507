/**
 * "Run Test" (and "Debug Test") above each test block, from the tests the discovery already has
 * (no request of its own). In Restricted Mode the lens says why tests do not run instead.
 */
import * as vscode from 'vscode';
import { toRange, type TestDiscovery } from './test-discovery.js';

export class TestCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
    private readonly changeEmitter = new vscode.EventEmitter<void>();
    readonly onDidChangeCodeLenses = this.changeEmitter.event;
    private readonly subscriptions: vscode.Disposable[];

    constructor(private readonly discovery: TestDiscovery) {
        this.subscriptions = [
            discovery.onDidChange(() => this.changeEmitter.fire()),
            vscode.workspace.onDidGrantWorkspaceTrust(() => this.changeEmitter.fire())
        ];
    }

    provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
        const lenses: vscode.CodeLens[] = [];
        for (const test of this.discovery.discovered(document.uri)) {
            const at = toRange(test.range).with({ end: toRange(test.range).start });
            if (!vscode.workspace.isTrusted) {
                lenses.push(new vscode.CodeLens(at, { title: '$(lock) Tests disabled in Restricted Mode', tooltip: 'Tests run user functions; trust this folder to run them.', command: 'flowline.explainRestrictedMode' }));
                continue;
            }
            lenses.push(new vscode.CodeLens(at, { title: '$(play) Run Test', tooltip: `Run "${test.name}"`, command: 'flowline.runTest', arguments: [test.id] }));
            lenses.push(new vscode.CodeLens(at, { title: '$(debug-alt) Debug Test', tooltip: `Debug "${test.name}" under the pipeline debugger`, command: 'flowline.debugTest', arguments: [test.id] }));
        }
        return lenses;
    }

    dispose(): void {
        for (const subscription of this.subscriptions) subscription.dispose();
        this.changeEmitter.dispose();
    }
}
