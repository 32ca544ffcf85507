/**
 * Marks the operators that no test of the last run reached: a faint whole-line decoration with a
 * short "not reached by any test" after the line, and a note in the test run's output. The marks
 * go away on the next run, and a file's marks when it is edited (its lines may have moved).
 */
import * as vscode from 'vscode';
import type { PipelineTestResult } from '../../../protocol/pipeline-tests.js';
import { coverageNote, pipelineCoverage, type UnreachedOperator } from './operator-coverage-model.js';

export class OperatorCoverage implements vscode.Disposable {
    private readonly decoration = vscode.window.createTextEditorDecorationType({
        isWholeLine: true,
        backgroundColor: new vscode.ThemeColor('testing.uncoveredBackground'),
        overviewRulerColor: new vscode.ThemeColor('testing.uncoveredGutterBackground'),
        overviewRulerLane: vscode.OverviewRulerLane.Left,
        after: { contentText: '  not reached by any test', color: new vscode.ThemeColor('editorCodeLens.foreground'), fontStyle: 'italic' }
    });
    /** The unreached operators' lines, by document URI. */
    private marks = new Map<string, UnreachedOperator[]>();
    private readonly subscriptions = [
        vscode.window.onDidChangeVisibleTextEditors(() => this.paint()),
        vscode.workspace.onDidChangeTextDocument((event) => {
            if (event.contentChanges.length > 0 && this.marks.delete(event.document.uri.toString())) this.paint();
        })
    ];

    /** Which operators are marked, by file (for tests of the extension). */
    get marked(): ReadonlyMap<string, readonly UnreachedOperator[]> { return this.marks; }

    /** Removes every mark. */
    clear(): void {
        this.marks = new Map();
        this.paint();
    }

    /** Marks the operators the run's tests did not reach and writes the note into the run's output. */
    show(results: readonly PipelineTestResult[], run: vscode.TestRun): void {
        this.marks = new Map();
        for (const coverage of pipelineCoverage(results)) {
            for (const line of coverageNote(coverage, (uri) => vscode.workspace.asRelativePath(vscode.Uri.parse(uri)))) {
                run.appendOutput(`${line}\r\n`);
            }
            for (const operator of coverage.unreached) {
                if (!operator.location) continue;
                const key = vscode.Uri.parse(operator.location.uri).toString();
                this.marks.set(key, [...(this.marks.get(key) ?? []), operator]);
            }
        }
        this.paint();
    }

    private paint(): void {
        for (const editor of vscode.window.visibleTextEditors) {
            const operators = this.marks.get(editor.document.uri.toString()) ?? [];
            editor.setDecorations(this.decoration, operators.map((op) => {
                const line = op.location!.range.start.line;
                return {
                    range: new vscode.Range(line, 0, line, 0),
                    hoverMessage: new vscode.MarkdownString(`No record of the last test run reached \`${op.nodeId}\` (pipeline ${op.pipeline}): no test covers this operator.`)
                };
            }));
        }
    }

    dispose(): void {
        for (const subscription of this.subscriptions) subscription.dispose();
        this.decoration.dispose();
    }
}
