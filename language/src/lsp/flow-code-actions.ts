/**
 * Quick fixes, each keyed by the diagnostic's code (IssueCodes) and fed by its data: did-you-mean
 * for unknown names, add the missing keyBy, add a print sink to a dangling stream, write out
 * the schema of a csv/jsonl source inferred from its file, and give a per-window ranking its
 * window column (or rank across windows); in tests, give the sources a test does not give.
 */
import { AstUtils, CstUtils, type AstNode, type LangiumDocument, type MaybePromise } from 'langium';
import type { CodeActionProvider } from 'langium/lsp';
import type { CodeAction, CodeActionParams, Command, Diagnostic } from 'vscode-languageserver';
import * as ast from '../generated/ast.js';
import type { FlowLspServices } from './flow-lsp-module.js';
import { windowAggregateBefore } from '../typing/row-window.js';
import type { SchemaInference } from '../typing/schema-inference.js';
import { IssueCodes, type FlowDiagnosticData } from '../validation/issue-codes.js';
import { sourcesUsedBy } from '../typing/pipeline-facts.js';
import { quickFix } from './quick-fix.js';
import { placeholderValue } from './test-row-completion.js';
import { SchemaFromDataFile } from './schema-from-data-file.js';

/** The .flow code action provider (`textDocument/codeAction`). */
export class FlowCodeActionProvider implements CodeActionProvider {
    private readonly inference: SchemaInference;
    private readonly schemaFromFile: SchemaFromDataFile;

    constructor(services: FlowLspServices) {
        this.inference = services.typing.SchemaInference;
        this.schemaFromFile = new SchemaFromDataFile(services.Grammar);
    }

    getCodeActions(document: LangiumDocument, params: CodeActionParams): MaybePromise<Array<Command | CodeAction>> {
        return Promise.all(params.context.diagnostics.map((d) => this.fixesFor(document, d))).then((all) => all.flat());
    }

    private async fixesFor(document: LangiumDocument, diagnostic: Diagnostic): Promise<CodeAction[]> {
        const data = diagnostic.data as FlowDiagnosticData | undefined;
        switch (data?.code) {
            case IssueCodes.UnknownField: case IssueCodes.UnknownStream: case IssueCodes.UnknownSchema: case IssueCodes.UnknownFunction:
            case IssueCodes.UnknownPipeline: case IssueCodes.UnknownGivenSource: case IssueCodes.GivenRecord: case IssueCodes.ExpectedRecord:
                return this.didYouMean(document, diagnostic, data.suggestions ?? []);
            case IssueCodes.SourceNotGiven:
                return this.giveSources(document, diagnostic, (data.sources as string[] | undefined) ?? []);
            case IssueCodes.MissingKeyBy:
                return this.addKeyBy(document, diagnostic, (data.keys as string[] | undefined) ?? []);
            case IssueCodes.DanglingStream:
                return this.addPrintSink(document, diagnostic, String(data.stream ?? ''));
            case IssueCodes.OrderWithoutWindow:
                return this.rankPerWindow(document, diagnostic);
            case IssueCodes.MissingSchema: {
                const source = this.nodeAt(document, diagnostic, ast.isSource);
                return source ? this.schemaFromFile.fixes(document, source, diagnostic) : [];
            }
            default:
                return [];
        }
    }

    private didYouMean(document: LangiumDocument, diagnostic: Diagnostic, suggestions: string[]): CodeAction[] {
        return suggestions.map((name, i) => quickFix(`Change to '${name}'`, document, diagnostic,
            [{ range: diagnostic.range, newText: name }], i === 0));
    }

    /** Inserts `keyBy k` before the operator (before the window it consumes, if any). */
    private addKeyBy(document: LangiumDocument, diagnostic: Diagnostic, keys: string[]): CodeAction[] {
        let operator = this.nodeAt(document, diagnostic, ast.isOperator);
        if (!operator) return [];
        const stream = operator.$container;
        let index = stream.operators.indexOf(operator);
        while (index > 0 && ast.isWindowOp(stream.operators[index - 1])) index--;
        operator = stream.operators[index];
        const candidates = keys.length > 0 ? [keys] : this.inference.inputSchemaOf(operator).fields.slice(0, 3).map((f) => [f.name]);
        const start = operator.$cstNode!.range.start;
        const lineText = document.textDocument.getText({ start: { line: start.line, character: 0 }, end: start });
        // `| aggregate` on its own line gets `| keyBy k` on its own line above it.
        const ownLine = /^\s*\|\s*$/.test(lineText);
        return candidates.map((k, i) => {
            const newText = ownLine ? `keyBy ${k.join(', ')}\n${lineText}` : `keyBy ${k.join(', ')} | `;
            return quickFix(`Add 'keyBy ${k.join(', ')}'`, document, diagnostic, [{ range: { start, end: start }, newText }], i === 0);
        });
    }

    /** Adds `sink <stream> -> print` as the last member of the pipeline. */
    private addPrintSink(document: LangiumDocument, diagnostic: Diagnostic, stream: string): CodeAction[] {
        const named = this.nodeAt(document, diagnostic, (n): n is ast.Source | ast.Stream => ast.isSource(n) || ast.isStream(n));
        const pipeline = named && AstUtils.getContainerOfType(named, ast.isPipeline);
        const close = pipeline?.$cstNode && CstUtils.flattenCst(pipeline.$cstNode).toArray().reverse().find((l) => l.text === '}');
        if (!named || !pipeline || !close) return [];
        const memberStart = named.$cstNode!.range.start;
        const indent = document.textDocument.getText({ start: { line: memberStart.line, character: 0 }, end: memberStart });
        const closeLine = document.textDocument.getText({ start: { line: close.range.start.line, character: 0 }, end: close.range.start });
        const at = /^\s*$/.test(closeLine) ? { line: close.range.start.line, character: 0 } : close.range.start;
        const prefix = at.character === 0 ? '' : '\n';
        const newText = `${prefix}${/^\s*$/.test(indent) ? indent : '    '}sink ${stream || named.name} -> print\n`;
        return [quickFix(`Add 'sink ${stream || named.name} -> print'`, document, diagnostic, [{ range: { start: at, end: at }, newText }], true)];
    }

    /**
     * A per-window ranking whose rows do not say their window: keep window.end in the aggregate
     * before it, or rank across windows.
     */
    private rankPerWindow(document: LangiumDocument, diagnostic: Diagnostic): CodeAction[] {
        const op = this.nodeAt(document, diagnostic, (n): n is ast.OrderByOp | ast.LimitOp => ast.isOrderByOp(n) || ast.isLimitOp(n));
        if (!op || op.acrossWindows || !this.inference.inputSchemaOf(op).windowedRows) return [];
        const fixes: CodeAction[] = [];
        const aggregate = windowAggregateBefore(op);
        const last = aggregate?.projection.items.at(-1)?.$cstNode;
        if (aggregate && last) {
            const taken = new Set(this.inference.outputSchemaOf(aggregate).fields.map((f) => f.name));
            let name = 'windowEnd';
            for (let i = 2; taken.has(name); i++) name = `windowEnd${i}`;
            fixes.push(quickFix(`Add '${name}: window.end' to the aggregate`, document, diagnostic,
                [{ range: { start: last.range.end, end: last.range.end }, newText: `, ${name}: window.end` }], true));
        }
        const end = op.$cstNode!.range.end;
        const word = ast.isOrderByOp(op) ? 'orderBy' : 'limit';
        fixes.push(quickFix(`Rank all windows together: '${word} ... across windows'`, document, diagnostic, [{ range: { start: end, end }, newText: ' across windows' }]));
        return fixes;
    }

    /** Gives each missing source of a test inline records, one a line after the test's `{`, with every field to fill in. */
    private giveSources(document: LangiumDocument, diagnostic: Diagnostic, names: string[]): CodeAction[] {
        const test = this.nodeAt(document, diagnostic, ast.isPipelineTest);
        const open = test?.$cstNode && CstUtils.flattenCst(test.$cstNode).find((l) => l.text === '{');
        const sources = test?.pipeline?.ref ? sourcesUsedBy(test.pipeline.ref).filter((s) => names.includes(s.name)) : [];
        if (!test || !open || sources.length === 0) return [];
        const lines = sources.map((s) => {
            const fields = this.inference.schemaOfStream(s).fields.filter((f) => f.name);
            return `\n    given ${s.name} = values({ ${fields.map((f) => `${f.name}: ${placeholderValue(f.type)}`).join(', ')} })`;
        });
        const at = open.range.end;
        const title = `Give ${sources.map((s) => `'${s.name}'`).join(' and ')} inline records`;
        return [quickFix(title, document, diagnostic, [{ range: { start: at, end: at }, newText: lines.join('') }], true)];
    }

    /** The innermost node of a kind at the diagnostic's start. */
    private nodeAt<T extends AstNode>(document: LangiumDocument, diagnostic: Diagnostic, is: (n: AstNode) => n is T): T | undefined {
        const root = document.parseResult.value.$cstNode;
        if (!root) return undefined;
        const leaf = CstUtils.findLeafNodeAtOffset(root, document.textDocument.offsetAt(diagnostic.range.start));
        const node = leaf?.astNode;
        if (!node) return undefined;
        return is(node) ? node : AstUtils.getContainerOfType(node, is);
    }
}
