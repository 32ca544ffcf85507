/**
 * Lookahead functions built on first use instead of at parser construction.
 *
 * Chevrotain builds one lookahead function per alternation, option and repetition of the grammar
 * when the parser is constructed (`performSelfAnalysis`); with Langium's LL(*) strategy that was
 * the largest part of building the .flow parser, which every `flowline run file.flow` and
 * `flowline graph` pays before reading a line of its file, while a small file reaches only part of
 * the grammar's decisions. This strategy hands Chevrotain, for each decision, a function that asks
 * the wrapped strategy for the real one the first time the parser reaches that decision and calls
 * it from then on. The real function is the one the wrapped strategy would have built at
 * construction (same options, same grammar, same shared ATN and DFA caches built eagerly by
 * `initialize`), so parses and their errors are the same; only when the work happens changes.
 */
import type { ILookaheadStrategy, ILookaheadValidationError, IOrAlt, Rule, TokenType } from 'chevrotain';

type AlternationOptions = Parameters<ILookaheadStrategy['buildLookaheadForAlternation']>[0];
type OptionalOptions = Parameters<ILookaheadStrategy['buildLookaheadForOptional']>[0];
type Predict = (this: unknown, orAlts?: IOrAlt<unknown>[]) => number | undefined;

export class LazyLookaheadStrategy implements ILookaheadStrategy {
    constructor(private readonly inner: ILookaheadStrategy) {}

    validate(options: { rules: Rule[]; tokenTypes: TokenType[]; grammarName: string }): ILookaheadValidationError[] {
        return this.inner.validate(options);
    }

    initialize(options: { rules: Rule[] }): void {
        this.inner.initialize?.(options);
    }

    buildLookaheadForAlternation(options: AlternationOptions): (orAlts?: IOrAlt<unknown>[]) => number | undefined {
        let predict: Predict | undefined;
        const inner = this.inner;
        return function (this: unknown, orAlts?: IOrAlt<unknown>[]): number | undefined {
            predict ??= inner.buildLookaheadForAlternation(options) as Predict;
            return predict.call(this, orAlts);
        };
    }

    buildLookaheadForOptional(options: OptionalOptions): () => boolean {
        let predict: ((this: unknown) => boolean) | undefined;
        const inner = this.inner;
        return function (this: unknown): boolean {
            predict ??= inner.buildLookaheadForOptional(options) as (this: unknown) => boolean;
            return predict.call(this);
        };
    }
}
