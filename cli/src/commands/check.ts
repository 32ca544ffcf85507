/**
 * `flowline check <files...> [--json]`: validates .flow files; exit 0 without errors, 1 with,
 * 2 for a usage error (including a file that does not exist).
 */
import type { Command } from 'commander';
import { requireFiles } from '../usage-error.js';

export function registerCheckCommand(program: Command): void {
    program.command('check')
        .description('Check .flow files for errors and warnings (exit code 1 when there is an error).')
        .argument('<files...>', '.flow files to check (imported files are checked as they are used)')
        .option('--json', 'print the diagnostics as a JSON array of {file, line, column, endLine, endColumn, severity, code, message}')
        .addHelpText('after', [
            '',
            'Exit codes:',
            '  0  no errors (warnings alone do not fail the check)',
            '  1  at least one error in the files checked',
            '  2  usage error: no file given, an unknown option, or a file that does not exist or is not a file'
        ].join('\n'))
        .action(async (files: string[], options: { json?: boolean }) => {
            // A file that cannot be read is a mistake on the command line, not in a .flow file.
            requireFiles(files);
            // Loaded on use, so commands that do not need the language start faster.
            const { formatDiagnostic, loadFlowWorkspace } = await import('../../../language/src/workspace/flow-workspace.js');
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
