/**
 * The lexer's tokens: Langium's, plus MALFORMED_NUMBER (a number run into letters: `1m30`,
 * `5sec`, `10min`). No grammar rule accepts that token, so Langium would leave it out of the
 * lexer; without it such text lexes as a number and a name, and the parser, derailed by the name,
 * reports two or three errors about unrelated things. As one token it is one clear syntax error.
 */
import type { TokenType, TokenVocabulary } from 'chevrotain';
import { DefaultTokenBuilder, GrammarAST, RegExpUtils, type Grammar, type TokenBuilderOptions } from 'langium';

const MALFORMED_NUMBER = 'MALFORMED_NUMBER';

export class FlowTokenBuilder extends DefaultTokenBuilder {
    /** Per terminal token, the regex of the texts its pattern can begin (none: not a RegExp). */
    private readonly prefixPatterns = new Map<TokenType, RegExp | null>();

    override buildTokens(grammar: Grammar, options?: TokenBuilderOptions): TokenVocabulary {
        const tokens = super.buildTokens(grammar, options) as TokenType[];
        const rule = grammar.rules.find((r): r is GrammarAST.TerminalRule => GrammarAST.isTerminalRule(r) && r.name === MALFORMED_NUMBER);
        if (!rule || tokens.some((t) => t.name === MALFORMED_NUMBER)) {
            return tokens;
        }
        // Before the plain numbers, after DURATION (the lexer takes the first pattern that matches).
        const firstNumber = tokens.findIndex((t) => t.name === 'DECIMAL' || t.name === 'INT');
        tokens.splice(firstNumber < 0 ? tokens.length : firstNumber, 0, this.buildTerminalToken(rule));
        return tokens;
    }

    /**
     * The terminals a keyword is also a prefix of (`LONGER_ALT`: `window` lexes as a NAME in
     * `windowSize`). Langium's own check builds each terminal's prefix regex anew for every
     * keyword (~130 keywords x ~20 terminals, each a regex parse and compile) at every lexer
     * construction; this builds it once per terminal. Same regex, same test, same result.
     */
    protected override findLongerAlt(keyword: GrammarAST.Keyword, terminalTokens: TokenType[]): TokenType[] {
        return terminalTokens.filter((token) => {
            const prefix = this.prefixPattern(token);
            const match = prefix === null ? null : keyword.value.match(prefix);
            return match !== null && match[0].length > 0;
        });
    }

    private prefixPattern(token: TokenType): RegExp | null {
        let prefix = this.prefixPatterns.get(token);
        if (prefix === undefined) {
            const source = (token.PATTERN as RegExp | undefined)?.source;
            prefix = source ? RegExpUtils.partialRegExp('^' + source + '$') : null;
            this.prefixPatterns.set(token, prefix);
        }
        return prefix;
    }
}

/** A hint for the syntax error at a malformed number. */
export function malformedNumberHint(token: { image: string; tokenType?: { name: string } } | undefined): string {
    return token?.tokenType?.name === MALFORMED_NUMBER && /^[0-9]+(ms|s|m|h|d)/.test(token.image)
        ? ' A duration is a number and a unit (ms, s, m, h or d), or several of them: 90s, 1m30s.'
        : '';
}
