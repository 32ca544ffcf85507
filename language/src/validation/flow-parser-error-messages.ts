/**
 * Syntax errors as sentences: "Expected one of 'filter', 'map', ..., but found 'fliter'. Did you
 * mean 'filter'?" instead of chevrotain's numbered token sequences over several lines, and
 * "Unexpected character '§'." instead of "unexpected character: ->§<- at offset: 85, ...".
 */
import type { IToken, TokenType } from 'chevrotain';
import { AstUtils, DefaultLexerErrorMessageProvider, GrammarAST, LangiumParserErrorMessageProvider } from 'langium';
import { FlowGrammar } from '../generated/grammar.js';
import { closestNames, listNames } from './did-you-mean.js';
import { malformedNumberHint } from './flow-token-builder.js';

/** How a terminal reads in a message. */
const TERMINALS: Record<string, string> = {
    ID: 'a name',
    STRING: 'a string in double quotes',
    INT: 'a whole number',
    DECIMAL: 'a number',
    DURATION: 'a duration such as 5s, 1m, 2h or 1m30s',
    EOF: 'the end of the file'
};

/**
 * The words of test blocks (the grammar's TestWord rule): wherever a name is expected they are
 * names too, so "a name" says it all.
 */
const TEST_WORDS = new Set(FlowGrammar().rules.filter((r) => r.name === 'TestWord')
    .flatMap((r) => AstUtils.streamAllContents(r).filter(GrammarAST.isKeyword).map((k) => k.value).toArray()));

/** At most this many alternatives are listed; more read as noise. */
const MAX_LISTED = 8;

export class FlowParserErrorMessages extends LangiumParserErrorMessageProvider {
    override buildMismatchTokenMessage({ expected, actual }: { expected: TokenType; actual: IToken; previous: IToken; ruleName: string }): string {
        return sentence([expected], actual);
    }

    override buildNotAllInputParsedMessage({ firstRedundant }: { firstRedundant: IToken; ruleName: string }): string {
        return `Expected 'import', 'schema', 'source', 'pipeline' or 'test' at the top level, but found ${found(firstRedundant)}.`;
    }

    override buildNoViableAltMessage({ expectedPathsPerAlt, actual }: {
        expectedPathsPerAlt: TokenType[][][]; actual: IToken[]; previous: IToken; customUserDescription?: string; ruleName: string;
    }): string {
        return sentence(expectedPathsPerAlt.flatMap((paths) => paths.map((p) => p[0])), actual[0]);
    }

    override buildEarlyExitMessage({ expectedIterationPaths, actual }: {
        expectedIterationPaths: TokenType[][]; actual: IToken[]; previous: IToken; customUserDescription?: string; ruleName: string;
    }): string {
        return sentence(expectedIterationPaths.map((p) => p[0]), actual[0]);
    }
}

function sentence(expected: (TokenType | undefined)[], actual: IToken | undefined): string {
    const keywords: string[] = [];
    const others: string[] = [];
    for (const type of expected) {
        if (!type) {
            continue;
        }
        // Langium names a keyword's token type after the keyword itself (some versions add ':KW').
        const name = type.name.endsWith(':KW') ? type.name.slice(0, -3) : type.name;
        if (TERMINALS[name]) {
            others.push(TERMINALS[name]);
        } else {
            keywords.push(name);
        }
    }
    const nameExpected = others.includes(TERMINALS.ID);
    const uniqueKeywords = [...new Set(keywords)].filter((k) => !(nameExpected && TEST_WORDS.has(k)));
    const parts = [...new Set(others), ...uniqueKeywords.map((k) => `'${k}'`)];
    const expectation = parts.length > MAX_LISTED ? `one of ${parts.slice(0, MAX_LISTED).join(', ')}, ...`
        : parts.length <= 1 ? parts.join('') : `${parts.slice(0, -1).join(', ')} or ${parts[parts.length - 1]}`;
    const image = actual?.image ?? '';
    const suggestions = /^[A-Za-z_]\w*$/.test(image) ? closestNames(image, uniqueKeywords, 1) : [];
    const hint = suggestions.length > 0 && suggestions[0] !== image ? ` Did you mean ${listNames(suggestions)}?` : malformedNumberHint(actual);
    return `Expected ${expectation || 'something else'}, but found ${actual ? found(actual) : 'the end of the file'}.${hint}`;
}

function found(token: IToken): string {
    return token.tokenType?.name === 'EOF' || token.image === '' ? 'the end of the file' : `'${token.image}'`;
}

export class FlowLexerErrorMessages extends DefaultLexerErrorMessageProvider {
    override buildUnexpectedCharactersMessage(fullText: string, startOffset: number, length: number): string {
        const text = fullText.substring(startOffset, startOffset + length);
        if (text.startsWith('"')) {
            return 'This string is not closed: it needs a closing ".';
        }
        return `Unexpected character '${text}'.`;
    }
}
