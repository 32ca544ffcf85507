/**
 * What the start-up shortcuts of the .flow parser must not change (docs/benchmarks.md, branch
 * `clistart`): the generated module runs Chevrotain without its grammar validations (mode
 * production), the parser builds each lookahead function on first use
 * (language/src/parser/lazy-lookahead.ts), the token builder reuses each terminal's prefix regex
 * (language/src/validation/flow-token-builder.ts), and the bundles give Langium's core a small
 * stand-in for vscode-languageserver-protocol (language/src/langium-core-protocol.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { TokenType } from 'chevrotain';
import {
    createDefaultCoreModule, createDefaultSharedCoreModule, DefaultTokenBuilder, EmptyFileSystem, inject, isReference,
    type AstNode, type LangiumParser
} from 'langium';
import * as protocol from 'vscode-languageserver-protocol';
import { FlowModule, FlowSharedModule, createFlowServices } from '../../language/src/flow-module.js';
import { FlowGeneratedModule, FlowGeneratedSharedModule, FlowLanguageMetaData } from '../../language/src/generated/module.js';
import * as coreProtocol from '../../language/src/langium-core-protocol.js';
import { createFlowParser } from '../../language/src/parser/flow-parser.js';
import { REPO_ROOT } from '../support/run-cli.js';

function flowFiles(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
        const file = path.join(dir, name);
        if (statSync(file).isDirectory()) return name === 'node_modules' ? [] : flowFiles(file);
        return name.endsWith('.flow') ? [file] : [];
    });
}

const FILES = [...flowFiles(path.join(REPO_ROOT, 'examples')), ...flowFiles(path.join(REPO_ROOT, 'test', 'fixtures'))];

test('the .flow grammar builds its lexer and parser with every Chevrotain validation on, without a definition error', () => {
    const shared = inject(createDefaultSharedCoreModule(EmptyFileSystem), FlowGeneratedSharedModule, FlowSharedModule);
    const Flow = inject(createDefaultCoreModule({ shared }), FlowGeneratedModule, FlowModule, {
        LanguageMetaData: () => ({ ...FlowLanguageMetaData, mode: 'development' as const })
    });
    // Chevrotain throws at construction on a lexer or grammar definition error when validating.
    const lexer = Flow.parser.Lexer as unknown as { chevrotainLexer: { config: { skipValidations: boolean }; lexerDefinitionErrors: unknown[] } };
    assert.equal(lexer.chevrotainLexer.config.skipValidations, false, 'the lexer was built with its validations');
    assert.deepEqual(lexer.chevrotainLexer.lexerDefinitionErrors, []);
    const parser = Flow.parser.LangiumParser as unknown as { wrapper: { skipValidations: boolean; definitionErrors: unknown[] } };
    assert.equal(parser.wrapper.skipValidations, false, 'the parser was built with its validations');
    assert.deepEqual(parser.wrapper.definitionErrors, []);
    // The validating parser parses as the production one does.
    const production = createFlowServices(EmptyFileSystem).Flow.parser.LangiumParser;
    for (const file of FILES.slice(0, 20)) {
        const text = readFileSync(file, 'utf8');
        assert.deepEqual(summary(Flow.parser.LangiumParser, text), summary(production, text), file);
    }
});

/** An AST as plain data: types, properties, reference texts and each node's CST range. */
function plain(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(plain);
    if (isReference(value)) return { ref: value.$refText };
    if (value === null || typeof value !== 'object') return value;
    const node = value as AstNode;
    const out: Record<string, unknown> = { $type: node.$type, $cst: node.$cstNode ? [node.$cstNode.offset, node.$cstNode.length] : null };
    for (const [key, child] of Object.entries(node)) {
        if (!key.startsWith('$')) out[key] = plain(child);
    }
    return out;
}

/** The AST and the lexer and parser errors of a text. */
function summary(parser: LangiumParser, text: string): unknown {
    const result = parser.parse(text);
    return {
        ast: plain(result.value),
        lexerErrors: result.lexerErrors.map((e) => `${e.offset}:${e.message}`),
        parserErrors: result.parserErrors.map((e) => `${e.token.startOffset}:${e.message}`)
    };
}

test('lookahead functions built on first use parse every example and fixture, and every cut of them, as the ones built at construction', () => {
    const lazy = createFlowServices(EmptyFileSystem).Flow;
    const eagerServices = createFlowServices(EmptyFileSystem).Flow;
    const eager = createFlowParser(eagerServices, { lazyLookahead: false });
    assert.ok(FILES.length > 50, `found ${FILES.length} .flow files`);
    let texts = 0;
    let withErrors = 0;
    for (const file of FILES) {
        const text = readFileSync(file, 'utf8');
        // The whole file, then cuts of it: syntax errors take the parser through error recovery
        // and decisions a valid file never reaches.
        const step = Math.max(7, Math.floor(text.length / 6));
        for (let end = text.length; end > 0; end -= step) {
            const cut = text.slice(0, end);
            const expected = summary(eager, cut) as { parserErrors: string[] };
            assert.deepEqual(summary(lazy.parser.LangiumParser, cut), expected, `${file}, first ${end} characters`);
            texts += 1;
            if (expected.parserErrors.length > 0) withErrors += 1;
        }
    }
    assert.ok(withErrors > texts / 4, `${withErrors} of ${texts} texts had syntax errors`);
});

test("the lexer's keywords have the longer alternatives Langium's own token builder gives them", () => {
    const { Flow } = createFlowServices(EmptyFileSystem);
    const flowTokens = Flow.parser.TokenBuilder.buildTokens(Flow.Grammar, { caseInsensitive: false }) as TokenType[];
    const langiumTokens = new DefaultTokenBuilder().buildTokens(Flow.Grammar, { caseInsensitive: false }) as TokenType[];
    const longerAlts = (tokens: TokenType[]): Map<string, string[]> => new Map(tokens
        .filter((t) => typeof t.PATTERN === 'string')
        .map((t) => [t.name, [t.LONGER_ALT ?? []].flat().map((alt) => alt.name)]));
    const expected = longerAlts(langiumTokens);
    assert.ok(expected.size > 50, `${expected.size} keywords`);
    assert.ok([...expected.values()].some((alts) => alts.length > 0), 'some keyword has a longer alternative');
    assert.deepEqual(longerAlts(flowTokens), expected);
});

test("the bundles' stand-in for vscode-languageserver-protocol in Langium's core gives the protocol's own objects", () => {
    assert.equal(coreProtocol.CancellationToken, protocol.CancellationToken);
    assert.equal(coreProtocol.CancellationTokenSource, protocol.CancellationTokenSource);
    assert.equal(coreProtocol.Emitter, protocol.Emitter);
    assert.equal(coreProtocol.ResponseError, protocol.ResponseError);
    assert.deepEqual({ ...coreProtocol.LSPErrorCodes }, { ...protocol.LSPErrorCodes });
});
