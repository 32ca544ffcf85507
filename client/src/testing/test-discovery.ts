/**
 * Keeps the Testing view's tree in step with the `.flow` files: a file's tests come from the
 * language server (`flowline/discoverTests`), for open documents as the user types and for the
 * workspace's files on activation and when they change on disk. The extension host never parses
 * `.flow` text itself.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { DiscoveredTest } from '../../../protocol/pipeline-tests.js';
import { FLOW_LANGUAGE_ID, requestDiscoveredTests } from '../language/flow-language-client.js';
import { fileTestTree, type FileNode } from './test-tree-model.js';

/** Milliseconds after the last keystroke before a document's tests are asked for again. */
const TYPING_DELAY_MS = 300;
/** The workspace's .flow files; dependencies and build output hold none of the user's tests. */
const FLOW_FILES = '**/*.flow';
const NOT_SEARCHED = '{**/node_modules/**,**/.git/**}';

/** A test the tree shows, with what running it needs. */
export interface KnownTest {
    item: vscode.TestItem;
    uri: vscode.Uri;
    name: string;
    pipeline: string;
}

export class TestDiscovery implements vscode.Disposable {
    private readonly timers = new Map<string, NodeJS.Timeout>();
    private readonly tests = new Map<string, KnownTest>();
    /** The discovered tests of each file, as the server last answered (for the CodeLenses). */
    private readonly byFile = new Map<string, DiscoveredTest[]>();
    private readonly changeEmitter = new vscode.EventEmitter<vscode.Uri>();
    /** Fires with a file whose tests changed. */
    readonly onDidChange = this.changeEmitter.event;
    private readonly subscriptions: vscode.Disposable[] = [];

    constructor(private readonly controller: vscode.TestController, private readonly client: LanguageClient, private readonly log: vscode.OutputChannel) {}

    /** Starts following documents and files; call once the language server is ready. */
    async start(): Promise<void> {
        const watcher = vscode.workspace.createFileSystemWatcher(FLOW_FILES);
        this.subscriptions.push(
            watcher,
            vscode.workspace.onDidOpenTextDocument((document) => this.schedule(document)),
            vscode.workspace.onDidChangeTextDocument((event) => this.schedule(event.document)),
            // Closed without saving: the tests are the file's on disk again.
            vscode.workspace.onDidCloseTextDocument((document) => {
                if (document.languageId === FLOW_LANGUAGE_ID && document.uri.scheme === 'file') void this.discover(document.uri);
            }),
            // An open document is discovered from its text; the disk matters for the others.
            watcher.onDidCreate((uri) => this.discoverUnlessOpen(uri)),
            watcher.onDidChange((uri) => this.discoverUnlessOpen(uri)),
            watcher.onDidDelete((uri) => this.forget(uri))
        );
        await this.discoverAll();
    }

    /** Asks for the tests of every .flow file of the workspace and every open one (the Refresh button). */
    async discoverAll(): Promise<void> {
        const open = vscode.workspace.textDocuments.filter((d) => d.languageId === FLOW_LANGUAGE_ID && d.uri.scheme === 'file');
        const files = await vscode.workspace.findFiles(FLOW_FILES, NOT_SEARCHED);
        const uris = new Map([...files, ...open.map((d) => d.uri)].map((uri) => [uri.toString(), uri]));
        for (const known of [...this.byFile.keys()]) if (!uris.has(known)) this.forget(vscode.Uri.parse(known));
        await Promise.all([...uris.values()].map((uri) => this.discover(uri)));
    }

    /** The test of a Testing view item id. */
    test(id: string): KnownTest | undefined {
        return this.tests.get(id);
    }

    /** The tests a run request asks for: those under its items (every test when it names none), minus the excluded. */
    testsOf(request: vscode.TestRunRequest, controller: vscode.TestController): KnownTest[] {
        const excluded = new Set((request.exclude ?? []).map((item) => item.id));
        const found = new Map<string, KnownTest>();
        const visit = (item: vscode.TestItem): void => {
            if (excluded.has(item.id)) return;
            const test = this.tests.get(item.id);
            if (test) found.set(item.id, test);
            item.children.forEach(visit);
        };
        if (request.include) request.include.forEach(visit);
        else controller.items.forEach(visit);
        return [...found.values()];
    }

    /** Every test of a file, in the order written. */
    testsOfFile(uri: vscode.Uri): KnownTest[] {
        return [...this.tests.values()].filter((t) => t.uri.toString() === uri.toString());
    }

    /** The server's last answer for a file. */
    discovered(uri: vscode.Uri): DiscoveredTest[] {
        return this.byFile.get(uri.toString()) ?? [];
    }

    /** Asks the server for a file's tests now and updates the tree. */
    async discover(uri: vscode.Uri): Promise<void> {
        let discovered: DiscoveredTest[];
        try {
            discovered = await requestDiscoveredTests(this.client, { uri: uri.toString() });
        } catch (error) {
            // A file the server cannot read keeps its last tests; the log says why.
            this.log.appendLine(`[test] could not discover the tests of ${uri.fsPath}: ${error instanceof Error ? error.message : String(error)}`);
            return;
        }
        this.byFile.set(uri.toString(), discovered);
        this.apply(uri, fileTestTree(uri.toString(), discovered));
        this.changeEmitter.fire(uri);
    }

    private schedule(document: vscode.TextDocument): void {
        if (document.languageId !== FLOW_LANGUAGE_ID || document.uri.scheme !== 'file') return;
        const key = document.uri.toString();
        clearTimeout(this.timers.get(key));
        this.timers.set(key, setTimeout(() => {
            this.timers.delete(key);
            void this.discover(document.uri);
        }, TYPING_DELAY_MS));
    }

    private discoverUnlessOpen(uri: vscode.Uri): void {
        if (!vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString())) void this.discover(uri);
    }

    private forget(uri: vscode.Uri): void {
        this.byFile.delete(uri.toString());
        this.apply(uri, undefined);
        this.changeEmitter.fire(uri);
    }

    /** Replaces a file's subtree, keeping the items that stay (VS Code keeps their last results). */
    private apply(uri: vscode.Uri, tree: FileNode | undefined): void {
        for (const [id, test] of this.tests) if (test.uri.toString() === uri.toString()) this.tests.delete(id);
        if (!tree) {
            this.controller.items.delete(uri.toString());
            return;
        }
        const fileItem = this.controller.items.get(tree.id) ?? this.controller.createTestItem(tree.id, vscode.workspace.asRelativePath(uri), uri);
        const pipelineItems = tree.pipelines.map((pipeline) => {
            const pipelineItem = fileItem.children.get(pipeline.id) ?? this.controller.createTestItem(pipeline.id, pipeline.label, uri);
            pipelineItem.range = toRange(pipeline.range);
            pipelineItem.description = 'pipeline';
            pipelineItem.children.replace(pipeline.tests.map((test) => {
                const item = pipelineItem.children.get(test.id) ?? this.controller.createTestItem(test.id, test.label, uri);
                item.range = toRange(test.range);
                this.tests.set(test.id, { item, uri, name: test.label, pipeline: pipeline.label });
                return item;
            }));
            return pipelineItem;
        });
        fileItem.children.replace(pipelineItems);
        this.controller.items.add(fileItem);
    }

    dispose(): void {
        for (const timer of this.timers.values()) clearTimeout(timer);
        for (const subscription of this.subscriptions) subscription.dispose();
        this.changeEmitter.dispose();
    }
}

/** An LSP range as a vscode Range. */
export function toRange(range: DiscoveredTest['range']): vscode.Range {
    return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}
