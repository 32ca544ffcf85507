/**
 * "Show Flink SQL": the generated Flink SQL of a pipeline as a read-only virtual document
 * (language `sql`) beside the pipeline, translated again when the .flow file changes. What Flink
 * cannot run goes to the Problems panel (its own collection, source "Flink") on the construct's
 * range, and is listed at the head of the script; what runs but not exactly as written (notes) is
 * a warning there.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { FlinkSqlDiagnosticInfo, FlinkSqlResult } from '../../../protocol/lsp-requests.js';
import { requestFlinkSql } from './flink-sql-request.js';

/** URI scheme of the generated SQL documents. */
export const FLINK_SQL_SCHEME = 'flowline-flink-sql';

/** Milliseconds after the last edit of a .flow file before its open SQL views translate it again. */
const REFRESH_DELAY_MS = 300;

/** Provides the SQL documents and the "Flink" diagnostics. */
export class FlinkSqlDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
    private readonly changeEmitter = new vscode.EventEmitter<vscode.Uri>();
    readonly onDidChange = this.changeEmitter.event;
    /** Translation diagnostics, source "Flink". */
    readonly diagnostics = vscode.languages.createDiagnosticCollection('flowline-flink');
    private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
    /** What Flink cannot run, by `<document uri>#<pipeline>`. */
    private readonly problems = new Map<string, FlinkSqlDiagnosticInfo[]>();
    private readonly subscriptions: vscode.Disposable[];

    constructor(private readonly client: LanguageClient) {
        this.subscriptions = [
            vscode.workspace.registerTextDocumentContentProvider(FLINK_SQL_SCHEME, this),
            vscode.workspace.onDidChangeTextDocument((e) => this.scheduleRefresh(e.document.uri)),
            vscode.workspace.onDidCloseTextDocument((doc) => {
                // The last SQL view of a file closed: its Flink diagnostics go with it.
                if (doc.uri.scheme !== FLINK_SQL_SCHEME) return;
                const source = sqlTarget(doc.uri).documentUri;
                if (!this.openSqlDocuments().some((u) => sqlTarget(u).documentUri === source)) this.forget(source);
            })
        ];
    }

    /** The URI of the SQL document of a pipeline (stable, so showing it twice reuses the tab). */
    static uriOf(documentUri: vscode.Uri, pipeline: string): vscode.Uri {
        const file = documentUri.path.split('/').pop()?.replace(/\.flow$/, '') ?? 'pipeline';
        return vscode.Uri.from({ scheme: FLINK_SQL_SCHEME, path: `/${file}.${pipeline}.sql`, query: JSON.stringify({ uri: documentUri.toString(), pipeline }) });
    }

    /** Opens (or reveals) the SQL of a pipeline beside its editor. */
    async show(documentUri: vscode.Uri, pipeline: string): Promise<vscode.TextEditor> {
        const doc = await vscode.workspace.openTextDocument(FlinkSqlDocuments.uriOf(documentUri, pipeline));
        const sql = doc.languageId === 'sql' ? doc : await vscode.languages.setTextDocumentLanguage(doc, 'sql');
        return vscode.window.showTextDocument(sql, { viewColumn: vscode.ViewColumn.Beside, preview: false, preserveFocus: true });
    }

    /** Translates a pipeline and publishes its Flink diagnostics. */
    async translate(documentUri: vscode.Uri, pipeline: string): Promise<FlinkSqlResult> {
        const result = await requestFlinkSql(this.client, { uri: documentUri.toString(), pipeline });
        this.publish(documentUri, pipeline, [...result.diagnostics, ...(result.notes ?? [])]);
        return result;
    }

    async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
        const { documentUri, pipeline } = sqlTarget(uri);
        let result: FlinkSqlResult;
        try {
            result = await this.translate(vscode.Uri.parse(documentUri), pipeline);
        } catch (err) {
            return `-- Could not translate ${pipeline} to Flink SQL: ${err instanceof Error ? err.message : String(err)}\n`;
        }
        return sqlText(pipeline, result);
    }

    dispose(): void {
        for (const timer of this.timers.values()) clearTimeout(timer);
        for (const s of this.subscriptions) s.dispose();
        this.diagnostics.dispose();
        this.changeEmitter.dispose();
    }

    /**
     * Replaces one pipeline's Flink diagnostics (other pipelines' stay). Errors of the document
     * itself are the language server's to show; these are what Flink cannot run, on the
     * construct's range (in an imported file, when it is written there).
     */
    private publish(documentUri: vscode.Uri, pipeline: string, problems: FlinkSqlDiagnosticInfo[]): void {
        this.problems.set(`${documentUri.toString()}#${pipeline}`, problems.filter(isFlinkProblem));
        const byFile = new Map<string, vscode.Diagnostic[]>();
        for (const list of this.problems.values()) {
            for (const p of list) {
                const { start, end } = p.range;
                const d = new vscode.Diagnostic(new vscode.Range(start.line, start.character, end.line, end.character),
                    p.construct ? `${p.construct}: ${p.message}` : p.message,
                    p.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Error);
                d.source = 'Flink';
                d.code = p.code;
                byFile.set(p.uri, [...(byFile.get(p.uri) ?? []), d]);
            }
        }
        this.diagnostics.clear();
        for (const [uri, list] of byFile) this.diagnostics.set(vscode.Uri.parse(uri), list);
    }

    /** Forgets the diagnostics of a document's pipelines. */
    private forget(documentUri: string): void {
        for (const key of [...this.problems.keys()]) if (key.startsWith(`${documentUri}#`)) this.problems.delete(key);
        this.publish(vscode.Uri.parse(documentUri), '', []);
        this.problems.delete(`${documentUri}#`);
    }

    private scheduleRefresh(changed: vscode.Uri): void {
        if (changed.scheme === FLINK_SQL_SCHEME) return;
        const key = changed.toString();
        const views = this.openSqlDocuments().filter((u) => sqlTarget(u).documentUri === key);
        if (views.length === 0) return;
        clearTimeout(this.timers.get(key));
        this.timers.set(key, setTimeout(() => {
            this.timers.delete(key);
            for (const view of views) this.changeEmitter.fire(view);
        }, REFRESH_DELAY_MS));
    }

    private openSqlDocuments(): vscode.Uri[] {
        return vscode.workspace.textDocuments.filter((d) => d.uri.scheme === FLINK_SQL_SCHEME && !d.isClosed).map((d) => d.uri);
    }
}

/** What Flink cannot run (codes `flink-...`), as opposed to an error of the document itself. */
export function isFlinkProblem(d: FlinkSqlDiagnosticInfo): boolean {
    return d.code.startsWith('flink-');
}

/** The document and pipeline a SQL document shows. */
function sqlTarget(uri: vscode.Uri): { documentUri: string; pipeline: string } {
    const { uri: documentUri, pipeline } = JSON.parse(uri.query) as { uri: string; pipeline: string };
    return { documentUri, pipeline };
}

/** The text of a SQL document: what cannot run first (as comments), then the script. */
export function sqlText(pipeline: string, result: FlinkSqlResult): string {
    const head = result.diagnostics.length === 0
        ? [`-- Flink SQL of pipeline ${pipeline}, generated by Flowline (read-only; edit the .flow file).`]
        : [`-- ${pipeline} cannot run on Flink as written:`,
            ...result.diagnostics.map((d) => `--   line ${d.range.start.line + 1}: ${d.construct ? `${d.construct}: ` : ''}${d.message}`)];
    return `${head.join('\n')}\n\n${result.script.trimEnd()}${result.script.trim() ? ';' : ''}\n`;
}
