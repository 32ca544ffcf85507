/**
 * The .flow parser: Langium's parser, with one change to how infix rules (the `and`/`or` and
 * arithmetic chains of flow.langium) become AST nodes.
 *
 * Langium parses a chain `a + b * c - d` as one flat list of operands and operators and splits it
 * into BinaryExprs by precedence, but gives every BinaryExpr of the chain the chain's one CST node,
 * and its operator tokens no `operator` feature. Diagnostics on an inner operator (`b * c`'s type
 * error), the formatter's `property('operator')`, hovers and ranges of sub-expressions would then
 * all point at the whole chain. Here each BinaryExpr gets its own CST node, nested as the tree
 * is, holding [left, operator, right], and the operator token is the `operator` property, as
 * the grammar with one rule per precedence level produced.
 */
import type { ILookaheadStrategy } from 'chevrotain';
import { type AstNode, type CstNode, type GrammarAST, type LangiumCoreServices, type Mutable, CompositeCstNodeImpl, LangiumParser, createParser } from 'langium';
import { LazyLookaheadStrategy } from './lazy-lookahead.js';

/** What Langium's parser collects for one infix chain before splitting it. */
interface InfixChain {
    $type: string;
    $cstNode: CompositeCstNodeImpl;
    parts?: AstNode[];
    operators?: string[];
}

interface OperatorPrecedence {
    precedence: number;
    rightAssoc: boolean;
}

type BinaryNode = AstNode & { left: AstNode; operator: string; right: AstNode };

/** The Langium parser method this class replaces (private in Langium 4.4, hence the check). */
const CONSTRUCT_INFIX = 'constructInfix';

export class FlowParser extends LangiumParser {
    /** Per operator keyword, a stand-in grammar element: that keyword assigned to `operator`. */
    private readonly operatorSources = new Map<string, GrammarAST.Keyword>();

    /** `lazyLookahead: false` builds every lookahead function at construction, as Chevrotain does (tests compare both). */
    constructor(services: LangiumCoreServices, options: { lazyLookahead?: boolean } = {}) {
        super(services);
        if (typeof (LangiumParser.prototype as unknown as Record<string, unknown>)[CONSTRUCT_INFIX] !== 'function') {
            throw new Error(`FlowParser: this Langium version has no LangiumParser.${CONSTRUCT_INFIX}; update language/src/parser/flow-parser.ts.`);
        }
        Object.defineProperty(this, CONSTRUCT_INFIX, {
            value: (chain: InfixChain, precedence: Map<string, OperatorPrecedence>) => this.buildChain(chain, precedence)
        });
        // Langium made the Chevrotain parser (`wrapper`) with its LL(*) strategy; it builds a
        // decision's lookahead function when the parser first reaches it (lazy-lookahead.ts). Set
        // before `finalize` (performSelfAnalysis), which asks the strategy for those functions.
        if (options.lazyLookahead === false) return;
        const chevrotain = this.wrapper as unknown as { lookaheadStrategy?: ILookaheadStrategy };
        if (chevrotain.lookaheadStrategy === undefined) {
            throw new Error('FlowParser: the Chevrotain parser of this Langium version has no lookaheadStrategy; update language/src/parser/flow-parser.ts.');
        }
        chevrotain.lookaheadStrategy = new LazyLookaheadStrategy(chevrotain.lookaheadStrategy);
    }

    private buildChain(chain: InfixChain, precedence: Map<string, OperatorPrecedence>): AstNode | undefined {
        const parts = chain.parts;
        if (!Array.isArray(parts) || parts.length === 0) return undefined; // a syntax error
        const operators = chain.operators;
        if (!Array.isArray(operators) || parts.length < 2) return parts[0];
        const cst = chain.$cstNode;
        const children = cst.content;
        // Without comments, the chain's CST is [part, operator, part, ..., part] unless error
        // recovery skipped or inserted tokens; then the nodes keep the chain's CST node, as in
        // Langium. `at[k]` is the index in `children` of the k-th token or part.
        const at: number[] = [];
        children.forEach((child, i) => { if (!child.hidden) at.push(i); });
        const regular = operators.length === parts.length - 1 && at.length === 2 * parts.length - 1
            && parts.every((part, i) => part?.$cstNode === children[at[2 * i]]);
        const build = (first: number, last: number, container: CompositeCstNodeImpl | undefined): AstNode => {
            if (first === last) return parts[first];
            const split = splitIndex(operators, first, last, precedence);
            const node = { $type: chain.$type, operator: operators[split] } as BinaryNode;
            if (!regular) {
                (node as { $cstNode?: CstNode }).$cstNode = cst;
                node.left = build(first, split, undefined);
                node.right = build(split + 1, last, undefined);
                return node;
            }
            // The outermost node keeps the chain's CST node (Langium links it to the node it is
            // assigned to); inner ones get a composite node of their own.
            const own = container ? new CompositeCstNodeImpl() : cst;
            if (container) {
                own.container = container;
                own.grammarSource = cst.grammarSource;
                own.astNode = node;
            }
            (node as { $cstNode?: CstNode }).$cstNode = own;
            (children[at[2 * split + 1]] as Mutable<CstNode>).grammarSource = this.operatorSource(operators[split]);
            node.left = build(first, split, own);
            node.right = build(split + 1, last, own);
            // [left, comments, operator, comments, right]; the outermost node also keeps the
            // comments before and after the chain.
            const content = [
                ...(container ? [] : children.slice(0, at[0])),
                first === split ? children[at[2 * first]] : node.left.$cstNode!,
                ...children.slice(at[2 * split] + 1, at[2 * split + 2]),
                split + 1 === last ? children[at[2 * last]] : node.right.$cstNode!,
                ...(container ? [] : children.slice(at[at.length - 1] + 1))
            ];
            for (const child of content) (child as Mutable<CstNode>).container = own;
            own.content = content;
            return node;
        };
        return build(0, parts.length - 1, undefined);
    }

    private operatorSource(operator: string): GrammarAST.Keyword {
        let keyword = this.operatorSources.get(operator);
        if (!keyword) {
            const assignment = { $type: 'Assignment', feature: 'operator', operator: '=' } as GrammarAST.Assignment;
            keyword = { $type: 'Keyword', value: operator, $container: assignment } as unknown as GrammarAST.Keyword;
            (assignment as { terminal: GrammarAST.AbstractElement }).terminal = keyword;
            this.operatorSources.set(operator, keyword);
        }
        return keyword;
    }
}

/**
 * Where the chain operands[first..last] splits: its loosest operator, the last of equals for a
 * left-associative level, the first for a right-associative one (Langium's own rule).
 */
function splitIndex(operators: string[], first: number, last: number, precedence: Map<string, OperatorPrecedence>): number {
    let split = first;
    let loosest = -1;
    for (let i = first; i < last; i++) {
        const level = precedence.get(operators[i]) ?? { precedence: Infinity, rightAssoc: false };
        if (level.precedence > loosest || (level.precedence === loosest && !level.rightAssoc)) {
            loosest = level.precedence;
            split = i;
        }
    }
    return split;
}

/** Builds and finalizes the .flow parser (the `parser.LangiumParser` service). */
export function createFlowParser(services: LangiumCoreServices, options: { lazyLookahead?: boolean } = {}): FlowParser {
    const parser = createParser(services.Grammar, new FlowParser(services, options), services.parser.Lexer.definition);
    parser.finalize();
    return parser;
}
