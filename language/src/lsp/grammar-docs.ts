/**
 * The `/** *\/` docs of the grammar's rules (`FilterOp: Keeps the records for which ...`), which
 * hovers and completion show for operators and other keywords: the grammar is their one source.
 */
import { AstUtils, GrammarAST, isJSDoc, parseJSDoc } from 'langium';

/** The markdown doc of the rule called `ruleName`, if it has one. */
export function ruleDoc(grammar: GrammarAST.Grammar, ruleName: string): string | undefined {
    const rule = grammar.rules.find((r) => r.name === ruleName);
    const comment = (rule as { $comment?: string } | undefined)?.$comment;
    return comment && isJSDoc(comment) ? parseJSDoc(comment).toMarkdown() : undefined;
}

/** The markdown doc of the rule a keyword belongs to (`filter` -> FilterOp's doc). */
export function keywordDoc(grammar: GrammarAST.Grammar, keyword: GrammarAST.Keyword): string | undefined {
    const rule = AstUtils.getContainerOfType(keyword, GrammarAST.isParserRule);
    return rule ? ruleDoc(grammar, rule.name) : undefined;
}
