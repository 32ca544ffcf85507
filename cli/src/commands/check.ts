/**
 * `flowline check <files...> [--json]`: validates .flow files; exit 0 without errors, 1 with.
 */
import type { Command } from 'commander';
import { formatDiagnostic, loadFlowWorkspace } from '../../../language/src/workspace/flow-workspace.js';

export function registerCheckCommand(program: Command): void {
    program.command('check')
        .description('Check .flow files for errors and warnings (exit code 1 when there is an error).')
        .argument('<files...>', '.flow files to check (imported files are checked as they are used)')
        .option('--json', 'print the diagnostics as a JSON array of {file, line, column, endLine, endColumn, severity, code, message}')
        .action(async (files: string[], options: { json?: boolean }) => {
            const { diagnostics } = await loadFlowWorkspace(files);
            const sorted = [...diagnostics].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
            if (options.json) {
                console.log(JSON.stringify(sorted, null, 2));
            } else {
                for (const d of sorted) {
                    console.log(formatDiagnostic(d));
                }
                const errors = sorted.filter((d) => d.severity === 'error').length;
                const warnings = sorted.filter((d) => d.severity === 'warning').length;
                console.error(`${files.length} file${files.length === 1 ? '' : 's'} checked: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}.`);
            }
            process.exitCode = sorted.some((d) => d.severity === 'error') ? 1 : 0;
        });
}
