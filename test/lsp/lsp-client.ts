/**
 * A small LSP client for the tests: starts the bundled language server (dist/server.mjs) as a
 * separate process over stdio, the way an editor does, and speaks LSP to it. It records what a
 * user would notice going wrong: the process dying, anything on stderr, error log messages.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
    createProtocolConnection, StreamMessageReader, StreamMessageWriter, type ProtocolConnection
} from 'vscode-languageserver-protocol/node';
import {
    CodeActionRequest, CompletionRequest, DefinitionRequest, DidChangeConfigurationNotification,
    DidChangeTextDocumentNotification, DidOpenTextDocumentNotification, DocumentFormattingRequest,
    DocumentSymbolRequest, ExitNotification, FoldingRangeRequest, HoverRequest, InitializedNotification, InitializeRequest,
    InlayHintRequest, LogMessageNotification, MessageType, PublishDiagnosticsNotification, ReferencesRequest,
    RenameRequest, SemanticTokensRequest, ShutdownRequest, SignatureHelpRequest,
    type CodeAction, type Command, type CompletionItem, type CompletionList, type Diagnostic, type DocumentSymbol,
    type FoldingRange, type Hover, type InlayHint, type Location, type LocationLink, type Position, type Range,
    type SemanticTokens, type SignatureHelp, type SymbolInformation, type TextEdit, type WorkspaceEdit
} from 'vscode-languageserver-protocol';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SERVER_BUNDLE = join(REPO_ROOT, 'dist/server.mjs');
export const FIXTURES = join(REPO_ROOT, 'test/lsp/fixtures');

/** A temporary copy of a fixture folder, so tests may edit files without touching the repo. */
export function copyFixtureWorkspace(name: string): string {
    const dir = mkdtempSync(join(tmpdir(), `flowline-lsp-${name}-`));
    cpSync(join(FIXTURES, name), dir, { recursive: true });
    return dir;
}

export interface StartOptions {
    /** The workspace folder the server indexes. */
    workspace: string;
    /** Settings answered to `workspace/configuration` (keyed by section, e.g. `flowline`). */
    settings?: Record<string, unknown>;
    initializationOptions?: unknown;
}

/** A running language server and the connection to it. */
export class LspClient {
    readonly stderr: string[] = [];
    readonly errorLogs: string[] = [];
    private readonly diagnostics = new Map<string, Diagnostic[]>();
    private readonly diagnosticWaiters = new Set<() => void>();
    private readonly versions = new Map<string, number>();
    private exitCode: number | null | undefined;

    private constructor(
        private readonly process: ChildProcess,
        readonly connection: ProtocolConnection,
        readonly workspace: string,
        private settings: Record<string, unknown>
    ) {
        process.stderr?.setEncoding('utf8');
        process.stderr?.on('data', (chunk: string) => this.stderr.push(chunk));
        process.on('exit', (code) => { this.exitCode = code; });
        connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
            this.diagnostics.set(params.uri, params.diagnostics);
            for (const wake of [...this.diagnosticWaiters]) wake();
        });
        connection.onNotification(LogMessageNotification.type, (params) => {
            if (params.type === MessageType.Error) this.errorLogs.push(params.message);
        });
        connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) =>
            params.items.map((item) => (item.section ? this.settings[item.section] : this.settings) ?? null));
        connection.onRequest('client/registerCapability', () => null);
        connection.onRequest('window/workDoneProgress/create', () => null);
        connection.onRequest('workspace/semanticTokens/refresh', () => null);
        connection.onRequest('workspace/inlayHint/refresh', () => null);
        connection.onRequest('workspace/diagnostic/refresh', () => null);
    }

    /** Starts `node dist/server.mjs --stdio` and runs the initialize handshake. */
    static async start(options: StartOptions): Promise<LspClient> {
        const child = spawn(process.execPath, [SERVER_BUNDLE, '--stdio'], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
        const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
        const client = new LspClient(child, connection, options.workspace, options.settings ?? {});
        connection.listen();
        const rootUri = pathToFileURL(options.workspace).toString();
        await connection.sendRequest(InitializeRequest.type, {
            processId: process.pid,
            rootUri,
            workspaceFolders: [{ uri: rootUri, name: 'fixtures' }],
            initializationOptions: options.initializationOptions,
            capabilities: {
                workspace: { configuration: true, workspaceFolders: true, didChangeConfiguration: { dynamicRegistration: true } },
                textDocument: {
                    completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] } },
                    hover: { contentFormat: ['markdown', 'plaintext'] },
                    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'refactor', 'refactor.rewrite', 'source'] } } },
                    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
                    rename: { prepareSupport: true },
                    semanticTokens: {
                        requests: { full: true }, formats: ['relative'], tokenTypes: [], tokenModifiers: [],
                        multilineTokenSupport: false, overlappingTokenSupport: false
                    },
                    inlayHint: {},
                    signatureHelp: { signatureInformation: { parameterInformation: { labelOffsetSupport: true } } },
                    publishDiagnostics: { relatedInformation: true }
                }
            }
        });
        connection.sendNotification(InitializedNotification.type, {});
        return client;
    }

    get alive(): boolean {
        return this.exitCode === undefined;
    }

    uri(relativePath: string): string {
        return pathToFileURL(join(this.workspace, relativePath)).toString();
    }

    /** Opens a workspace file (its content read from disk unless given). */
    async open(relativePath: string, text?: string): Promise<string> {
        const uri = this.uri(relativePath);
        const content = text ?? readFileSync(join(this.workspace, relativePath), 'utf8');
        this.versions.set(uri, 1);
        await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
            textDocument: { uri, languageId: 'flow', version: 1, text: content }
        });
        return uri;
    }

    /** Replaces the whole text of an open document. */
    async change(uri: string, text: string): Promise<void> {
        const version = (this.versions.get(uri) ?? 1) + 1;
        this.versions.set(uri, version);
        await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
            textDocument: { uri, version }, contentChanges: [{ text }]
        });
    }

    async changeSettings(settings: Record<string, unknown>): Promise<void> {
        this.settings = settings;
        await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings });
    }

    /** The last diagnostics published for `uri`. */
    diagnosticsOf(uri: string): Diagnostic[] | undefined {
        return this.diagnostics.get(uri);
    }

    /**
     * Waits until the diagnostics published for `uri` satisfy `accept` (the server publishes after
     * each build; a build may be superseded by the next edit). Fails with the last ones seen.
     */
    async waitForDiagnostics(uri: string, accept: (d: Diagnostic[]) => boolean = () => true, patienceMs = 20_000): Promise<Diagnostic[]> {
        return new Promise((resolvePromise, reject) => {
            const check = (): boolean => {
                const current = this.diagnostics.get(uri);
                if (current && accept(current)) {
                    this.diagnosticWaiters.delete(wake);
                    clearTimeout(timer);
                    resolvePromise(current);
                    return true;
                }
                return false;
            };
            const wake = (): void => { check(); };
            const timer = setTimeout(() => {
                this.diagnosticWaiters.delete(wake);
                reject(new Error(`No accepted diagnostics for ${uri}; last published: ${JSON.stringify(this.diagnostics.get(uri))}`));
            }, patienceMs);
            this.diagnosticWaiters.add(wake);
            check();
        });
    }

    completion(uri: string, position: Position): Promise<CompletionItem[]> {
        return this.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position })
            .then((r: CompletionItem[] | CompletionList | null) => (Array.isArray(r) ? r : r?.items ?? []));
    }

    hover(uri: string, position: Position): Promise<Hover | null> {
        return this.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
    }

    definition(uri: string, position: Position): Promise<Location | Location[] | LocationLink[] | null> {
        return this.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position });
    }

    references(uri: string, position: Position): Promise<Location[] | null> {
        return this.connection.sendRequest(ReferencesRequest.type, { textDocument: { uri }, position, context: { includeDeclaration: true } });
    }

    rename(uri: string, position: Position, newName: string): Promise<WorkspaceEdit | null> {
        return this.connection.sendRequest(RenameRequest.type, { textDocument: { uri }, position, newName });
    }

    format(uri: string): Promise<TextEdit[] | null> {
        return this.connection.sendRequest(DocumentFormattingRequest.type, { textDocument: { uri }, options: { tabSize: 4, insertSpaces: true } });
    }

    documentSymbols(uri: string): Promise<DocumentSymbol[] | SymbolInformation[] | null> {
        return this.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } });
    }

    foldingRanges(uri: string): Promise<FoldingRange[] | null> {
        return this.connection.sendRequest(FoldingRangeRequest.type, { textDocument: { uri } });
    }

    semanticTokens(uri: string): Promise<SemanticTokens | null> {
        return this.connection.sendRequest(SemanticTokensRequest.type, { textDocument: { uri } });
    }

    inlayHints(uri: string, range: Range): Promise<InlayHint[] | null> {
        return this.connection.sendRequest(InlayHintRequest.type, { textDocument: { uri }, range });
    }

    signatureHelp(uri: string, position: Position): Promise<SignatureHelp | null> {
        return this.connection.sendRequest(SignatureHelpRequest.type, { textDocument: { uri }, position });
    }

    codeActions(uri: string, range: Range, diagnostics: Diagnostic[]): Promise<(Command | CodeAction)[] | null> {
        return this.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics } });
    }

    /** Shuts the server down politely, then makes sure the process is gone. */
    async stop(): Promise<void> {
        if (this.alive) {
            // A shutdown request that meets the server's exit is never answered (the connection
            // does not reject it): wait for the answer, the exit or a few seconds, whichever is first.
            const exited = new Promise<void>((resolve) => this.process.once('exit', () => resolve()));
            const shutdown = (async () => {
                await this.connection.sendRequest(ShutdownRequest.type);
                await this.connection.sendNotification(ExitNotification.type);
            })().catch(() => {
                // The process is already gone; nothing to shut down.
            });
            await Promise.race([shutdown, exited, new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
        }
        this.connection.dispose();
        if (this.alive) this.process.kill();
    }
}

/** The position of the first occurrence of `needle` in `text` (plus `offset` characters). */
export function positionOf(text: string, needle: string, offset = 0): Position {
    const index = text.indexOf(needle);
    if (index < 0) throw new Error(`'${needle}' is not in the text`);
    const before = text.slice(0, index + offset);
    const line = before.split('\n').length - 1;
    return { line, character: before.length - before.lastIndexOf('\n') - 1 };
}

/** Applies LSP text edits to a text (edits must not overlap). */
export function applyEdits(text: string, edits: TextEdit[]): string {
    const offsets = lineOffsets(text);
    const toOffset = (p: Position): number => Math.min(text.length, (offsets[p.line] ?? text.length) + p.character);
    const sorted = [...edits].sort((a, b) => toOffset(b.range.start) - toOffset(a.range.start));
    let result = text;
    for (const edit of sorted) {
        result = result.slice(0, toOffset(edit.range.start)) + edit.newText + result.slice(toOffset(edit.range.end));
    }
    return result;
}

function lineOffsets(text: string): number[] {
    const offsets = [0];
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') offsets.push(i + 1);
    return offsets;
}

/** Removes a temporary workspace. */
export function removeWorkspace(dir: string): void {
    rmSync(dir, { recursive: true, force: true });
}

/** A diagnostic's message as text (LSP 3.18 also allows markup). */
export function messageOf(d: Diagnostic): string {
    return typeof d.message === 'string' ? d.message : d.message.value;
}

/** The example pipelines (every .flow file under examples/), relative to the repository; test fixtures when there are none. */
export function exampleFlowFiles(): string[] {
    const examples = existsSync(join(REPO_ROOT, 'examples'))
        ? readdirSync(join(REPO_ROOT, 'examples'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.flow')).map((f) => join('examples', f))
        : [];
    if (examples.length > 0) return examples.sort();
    return readdirSync(join(FIXTURES, 'workspace')).filter((f) => f.endsWith('.flow')).map((f) => join('test/lsp/fixtures/workspace', f));
}
