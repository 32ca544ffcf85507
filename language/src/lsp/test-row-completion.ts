/**
 * Completion of the records of a test's `given` and `expect` lines: `values({ ... })` with every
 * field of the source's (or stream's) schema already written, each value a snippet placeholder of
 * the field's type, and, for a given, the file connectors of fixture files.
 */
import { AstUtils, type AstNode } from 'langium';
import type { CompletionAcceptor, CompletionContext } from 'langium/lsp';
import { CompletionItemKind, InsertTextFormat } from 'vscode-languageserver';
import * as ast from '../generated/ast.js';
import type { LangType } from '../typing/flow-types.js';
import type { SchemaInference } from '../typing/schema-inference.js';
import { FILE_CONNECTORS } from '../testing/test-facts.js';
import { findConnector } from '../validation/connector-specs.js';
import { formatConnectorSignature } from './connector-text.js';

/** The given or expect step the cursor is in, if any. */
export function testStepAt(node: AstNode | undefined): ast.GivenStep | ast.ExpectStep | undefined {
    return node ? AstUtils.getContainerOfType(node, (n): n is ast.GivenStep | ast.ExpectStep => ast.isGivenStep(n) || ast.isExpectStep(n)) : undefined;
}

export function completeTestRows(step: ast.GivenStep | ast.ExpectStep, inference: SchemaInference, context: CompletionContext, acceptor: CompletionAcceptor): void {
    const schema = ast.isGivenStep(step)
        ? (step.source?.ref ? inference.schemaOfStream(step.source.ref) : undefined)
        : (step.target?.stream?.ref ? inference.schemaOfStreamRef(step.target) : undefined);
    const fields = (schema?.fields ?? []).filter((f) => f.name);
    const record = fields.length > 0
        ? `{ ${fields.map((f, i) => `${f.name}: \${${i + 1}:${escapeSnippet(placeholderValue(f.type))}}`).join(', ')} }`
        : '{ $1 }';
    const what = ast.isGivenStep(step) ? `the source '${step.source?.$refText ?? ''}'` : `'${step.target?.$cstNode?.text ?? ''}'`;
    acceptor(context, {
        label: 'values',
        kind: CompletionItemKind.Module,
        detail: fields.length > 0 ? `values({ ${fields.map((f) => f.name).join(', ')} })` : 'values({ ... })',
        documentation: { kind: 'markdown', value: `Inline records with the fields of ${what}; add more records after a comma.` },
        insertText: `values(${record})`,
        insertTextFormat: InsertTextFormat.Snippet,
        sortText: '0'
    });
    if (!ast.isGivenStep(step)) return;
    for (const name of FILE_CONNECTORS) {
        const connector = findConnector(name)!;
        acceptor(context, {
            label: connector.name,
            kind: CompletionItemKind.Module,
            detail: formatConnectorSignature(connector),
            documentation: { kind: 'markdown', value: `A fixture file (relative to this test file). ${connector.doc}` },
            insertText: `${connector.name}("$1")`,
            insertTextFormat: InsertTextFormat.Snippet,
            sortText: '1'
        });
    }
}

/** A value of the type to start from (completion placeholders, the quick fix that gives a source). */
export function placeholderValue(type: LangType): string {
    switch (type.kind) {
        case 'int': case 'long': return '0';
        case 'double': return '0.0';
        case 'boolean': return 'false';
        case 'string': return '""';
        case 'timestamp': return 'timestamp "2026-01-01T00:00:00Z"';
        case 'duration': return '1s';
        case 'array': return '[]';
        case 'record': return `{ ${type.fields.map((f) => `${f.name}: ${placeholderValue(f.type)}`).join(', ')} }`;
        default: return 'null';
    }
}

/** `$`, `}` and `\` are snippet syntax inside a placeholder. */
function escapeSnippet(text: string): string {
    return text.replace(/[$}\\]/g, (c) => `\\${c}`);
}
