/**
 * The quick fix that writes out the schema of a csv/jsonl source from its file's header and first
 * rows: inline (`source orders: { id: string ... } = csv(...)`) or as a named schema.
 */
import { AstUtils, CstUtils, GrammarAST, GrammarUtils, UriUtils, type LangiumDocument } from 'langium';
import { isAbsolute } from 'node:path';
import type { CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver';
import * as ast from '../generated/ast.js';
import { inferCsvSchema, inferJsonlSchema, readHead, type InferredField } from './data-file-schema.js';
import { quickFix } from './quick-fix.js';

/** Builds the "write out the schema" fixes for a source. */
export class SchemaFromDataFile {
    private readonly keywords: Set<string>;
    private readonly keywordsAllowedAsNames: Set<string>;

    constructor(grammar: GrammarAST.Grammar) {
        this.keywords = new Set(AstUtils.streamAllContents(grammar).filter(GrammarAST.isKeyword).map((k) => k.value));
        const nameRule = grammar.rules.find((r) => r.name === 'Name');
        this.keywordsAllowedAsNames = nameRule ? keywordsOfRule(nameRule) : new Set();
    }

    async fixes(document: LangiumDocument, source: ast.Source, diagnostic: Diagnostic): Promise<CodeAction[]> {
        const connector = source.connector;
        if (!connector) return [];
        const path = stringArg(connector.args.find((a) => !a.name));
        if (!path || (connector.kind !== 'csv' && connector.kind !== 'jsonl') || source.schemaRef || source.inlineSchema) return [];
        const file = isAbsolute(path) ? path : UriUtils.resolvePath(UriUtils.dirname(document.uri), path).fsPath;
        let fields: InferredField[];
        try {
            const head = await readHead(file);
            fields = connector.kind === 'csv'
                ? inferCsvSchema(head, { delimiter: stringArg(namedArg(connector, 'delimiter')), header: booleanArg(namedArg(connector, 'header')) })
                : inferJsonlSchema(head);
        } catch {
            return []; // No readable file, no inferred schema; the diagnostic already says what is missing.
        }
        if (fields.length === 0 || !source.$cstNode) return [];
        const afterName = GrammarUtils.findNodeForProperty(source.$cstNode, 'name')?.range.end;
        if (!afterName) return [];
        const lines = fields.map((f) => `${this.fieldName(f.name)}: ${f.type}${f.nullable ? '?' : ''}`);
        const memberIndent = lineIndent(document, source.$cstNode.range.start);
        const inline = lines.length <= 4
            ? `{ ${lines.join(', ')} }`
            : `{\n${lines.map((l) => `${memberIndent}    ${l}`).join('\n')}\n${memberIndent}}`;
        const schemaName = this.freeSchemaName(document, source.name);
        // The named schema goes above the pipeline (and above its doc comment).
        const top = (AstUtils.getContainerOfType(source, ast.isPipeline) ?? source).$cstNode!;
        const topStart = { line: (CstUtils.findCommentNode(top, ['ML_COMMENT']) ?? top).range.start.line, character: 0 };
        const named = `schema ${schemaName} {\n${lines.map((l) => `    ${l}`).join('\n')}\n}\n\n`;
        // A column whose header is not a .flow name cannot be matched by name: say so in the title.
        const renamed = fields.filter((f) => this.fieldName(f.name) !== f.name).map((f) => `'${f.name}' as ${this.fieldName(f.name)}`);
        const note = renamed.length > 0 ? ` (header ${renamed.join(', ')}: rename the column in the file to match)` : '';
        const from = `from ${UriUtils.basename(UriUtils.resolvePath(UriUtils.dirname(document.uri), path))}${note}`;
        return [
            quickFix(`Write out the schema inferred ${from}`, document, diagnostic, [insert(afterName, `: ${inline}`)], true),
            quickFix(`Write out the schema inferred ${from} as 'schema ${schemaName}'`, document, diagnostic,
                [insert(topStart, named), insert(afterName, `: ${schemaName}`)])
        ];
    }

    /** A header that is not a .flow name is made one (`order id` -> `order_id`). */
    private fieldName(name: string): string {
        let id = name.replace(/[^\w]/g, '_');
        if (!/^[_a-zA-Z]/.test(id)) id = `_${id}`;
        return this.keywords.has(id) && !this.keywordsAllowedAsNames.has(id) ? `${id}_` : id;
    }

    /** `orders` -> `Orders`, or `OrdersRow`, `OrdersRow2` when taken in this file. */
    private freeSchemaName(document: LangiumDocument, sourceName: string): string {
        const model = document.parseResult.value as ast.Model;
        const taken = new Set(model.elements.filter(ast.isSchema).map((s) => s.name));
        const base = sourceName.charAt(0).toUpperCase() + sourceName.slice(1);
        for (const candidate of [base, `${base}Row`]) if (!taken.has(candidate)) return candidate;
        let n = 2;
        while (taken.has(`${base}Row${n}`)) n++;
        return `${base}Row${n}`;
    }
}

function insert(at: { line: number; character: number }, newText: string): TextEdit {
    return { range: { start: at, end: at }, newText };
}

function lineIndent(document: LangiumDocument, at: { line: number; character: number }): string {
    const text = document.textDocument.getText({ start: { line: at.line, character: 0 }, end: at });
    return /^\s*$/.test(text) ? text : '';
}

function namedArg(connector: ast.Connector, name: string): ast.ConnectorArg | undefined {
    return connector.args.find((a) => a.name === name);
}

function stringArg(arg: ast.ConnectorArg | undefined): string | undefined {
    return arg && ast.isStringLiteral(arg.value) ? arg.value.value : undefined;
}

function booleanArg(arg: ast.ConnectorArg | undefined): boolean | undefined {
    return arg && ast.isBooleanLiteral(arg.value) ? arg.value.value : undefined;
}

/**
 * The keywords a rule accepts, also through the word rules it calls (`Name` names `TestWord`,
 * `SettingWord`, `RankingWord`): each of those words is a valid field name.
 */
function keywordsOfRule(rule: GrammarAST.AbstractRule, seen = new Set<GrammarAST.AbstractRule>()): Set<string> {
    const words = new Set<string>();
    if (seen.has(rule)) return words;
    seen.add(rule);
    for (const node of AstUtils.streamAllContents(rule)) {
        if (GrammarAST.isKeyword(node)) words.add(node.value);
        else if (GrammarAST.isRuleCall(node) && GrammarAST.isParserRule(node.rule.ref) && node.rule.ref.dataType) {
            for (const word of keywordsOfRule(node.rule.ref, seen)) words.add(word);
        }
    }
    return words;
}
