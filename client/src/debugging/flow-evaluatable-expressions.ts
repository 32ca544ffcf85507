/**
 * Hovering a field name while a `flowline` session is paused shows its value: VS Code asks this
 * provider which text to evaluate, and the debug adapter evaluates it against the stopped record.
 */
import * as vscode from 'vscode';
import { evaluatableFieldAt } from './evaluatable-field.js';

/** The field (or `a.b` path) under the mouse, for the debugger to evaluate. */
export class FlowEvaluatableExpressionProvider implements vscode.EvaluatableExpressionProvider {
    provideEvaluatableExpression(document: vscode.TextDocument, position: vscode.Position): vscode.EvaluatableExpression | undefined {
        const span = evaluatableFieldAt(document.lineAt(position.line).text, position.character);
        if (!span) return undefined;
        return new vscode.EvaluatableExpression(new vscode.Range(position.line, span.start, position.line, span.end), span.text);
    }
}
