/**
 * Loads .flow files from disk without an editor (for the CLI and tests): the given files and,
 * transitively, the files they import, then parses, links and validates them all.
 */
import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { URI, type LangiumDocument } from 'langium';
import { NodeFileSystem } from 'langium/node';
import type { Diagnostic } from 'vscode-languageserver-types';
import { createFlowServices, type FlowServices } from '../flow-module.js';
import type { Model } from '../generated/ast.js';
import { resolveImportUri } from '../scoping/imported-uris.js';

/** One diagnostic of one file, 1-based as humans (and compilers) print them. */
export interface FileDiagnostic {
    file: string;
    line: number;
    column: number;
    endLine: number;
    endColumn: number;
    severity: 'error' | 'warning' | 'info' | 'hint';
    code: string;
    message: string;
}

export interface LoadedWorkspace {
    services: FlowServices;
    /** The documents asked for, in the order given. */
    documents: LangiumDocument<Model>[];
    /** The diagnostics of the documents asked for. */
    diagnostics: FileDiagnostic[];
}

const SEVERITIES = ['error', 'error', 'warning', 'info', 'hint'] as const;

/**
 * Loads, links and validates `files` (and what they import). Missing files throw. `texts` gives
 * the text of some files (by absolute path) instead of what is on disk: an editor's unsaved
 * buffer, or a file with an expression spliced in (graph/node-expression.ts).
 */
export async function loadFlowWorkspace(files: string[], texts: ReadonlyMap<string, string> = new Map()): Promise<LoadedWorkspace> {
    const services = createFlowServices(NodeFileSystem).Flow;
    const langiumDocuments = services.shared.workspace.LangiumDocuments;
    const requested: LangiumDocument<Model>[] = [];
    const queue = files.map((f) => URI.file(path.resolve(f)));
    const seen = new Set<string>();
    for (const [i, uri] of queue.entries()) {
        if (!texts.has(uri.fsPath) && !existsSync(uri.fsPath)) {
            throw new Error(`${files[i]}: no such file.`);
        }
    }
    while (queue.length > 0) {
        const uri = queue.shift()!;
        if (seen.has(uri.toString())) {
            continue;
        }
        seen.add(uri.toString());
        const text = texts.get(uri.fsPath);
        if (text === undefined && (!existsSync(uri.fsPath) || !statSync(uri.fsPath).isFile())) {
            continue; // reported as import-not-found by the importing file
        }
        const document = (text === undefined ? await langiumDocuments.getOrCreateDocument(uri) : fromText(services, text, uri)) as LangiumDocument<Model>;
        if (requested.length < files.length && !requested.includes(document)) {
            requested.push(document);
        }
        for (const imp of document.parseResult.value.imports ?? []) {
            if (imp.path) { // undefined after a syntax error
                queue.push(resolveImportUri(imp));
            }
        }
    }
    await services.shared.workspace.DocumentBuilder.build([...langiumDocuments.all], { validation: true });
    const diagnostics = requested.flatMap((doc) => (doc.diagnostics ?? []).map((d) => toFileDiagnostic(doc, d)));
    return { services, documents: requested, diagnostics };
}

function fromText(services: FlowServices, text: string, uri: URI): LangiumDocument {
    const document = services.shared.workspace.LangiumDocumentFactory.fromString(text, uri);
    services.shared.workspace.LangiumDocuments.addDocument(document);
    return document;
}

export function toFileDiagnostic(document: LangiumDocument, d: Diagnostic): FileDiagnostic {
    const data = d.data as { code?: string } | undefined;
    return {
        file: path.relative(process.cwd(), document.uri.fsPath) || document.uri.fsPath,
        line: d.range.start.line + 1,
        column: d.range.start.character + 1,
        endLine: d.range.end.line + 1,
        endColumn: d.range.end.character + 1,
        severity: SEVERITIES[d.severity ?? 1],
        code: data?.code ?? (typeof d.code === 'string' ? d.code : 'syntax-error'),
        message: typeof d.message === 'string' ? d.message : d.message.value
    };
}

/** `file:line:column: error code: message` */
export function formatDiagnostic(d: FileDiagnostic): string {
    return `${d.file}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${d.message}`;
}
