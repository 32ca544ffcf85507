/**
 * `flowline test [files or folders] [--filter TEXT] [--reporter spec|json|junit|tap]
 * [--update-snapshots]`: runs the `test` blocks of .flow files on an in-process local cluster
 * (docs/testing.md). Exit code 0 when every test passed, 1 when one failed or could not run (or
 * a file has errors, or no test was found), 2 for a usage error.
 */
import { Option, type Command } from 'commander';
import type { TestRunReport } from '../../../protocol/pipeline-tests.js';
import { findTestFiles } from '../test/find-test-files.js';
import { junitReport } from '../test/junit-reporter.js';
import { runTestFiles } from '../test/run-test-files.js';
import { specReport } from '../test/spec-reporter.js';
import { tapReport } from '../test/tap-reporter.js';

interface TestOptions {
    filter?: string;
    reporter: 'spec' | 'json' | 'junit' | 'tap';
    updateSnapshots?: boolean;
}

export function registerTestCommand(program: Command): void {
    program.command('test')
        .description('Run the test blocks of .flow files (folders: every .flow file under them with a test).')
        .argument('[paths...]', '.flow files or folders (default: the current folder)')
        .option('--filter <text>', 'run only the tests whose name contains TEXT')
        .addOption(new Option('--reporter <format>', 'how results are printed on stdout').choices(['spec', 'json', 'junit', 'tap']).default('spec'))
        .option('--update-snapshots', 'write every snapshot again from this run\'s records')
        .addHelpText('after', [
            '',
            'Reporters: spec (readable, the default), json (one TestRunReport document), junit (JUnit XML), tap (TAP 14).',
            'A file with errors is reported on stderr as `file:line:column: error ...`, and its tests do not run.',
            '',
            'Exit codes:',
            '  0  every test passed',
            '  1  a test failed or could not run, a file has errors, or no test was found',
            '  2  usage error: an unknown option or reporter, a path that does not exist or is not a .flow file'
        ].join('\n'))
        .action(async (paths: string[], options: TestOptions) => {
            const startedAt = new Date();
            const files = findTestFiles(paths.length > 0 ? paths : ['.']);
            const { report, filesWithErrors } = await runTestFiles(files, {
                filter: options.filter,
                updateSnapshots: options.updateSnapshots,
                onFileErrors: (lines) => { for (const line of lines) process.stderr.write(`${line}\n`); }
            });
            process.stdout.write(render(report, options.reporter, startedAt));
            if (report.tests.length === 0 && filesWithErrors === 0) {
                process.stderr.write(`flowline: no test found${options.filter !== undefined ? ` whose name contains ${JSON.stringify(options.filter)}` : ''} in ${paths.length > 0 ? paths.join(', ') : 'the current folder'}.\n`);
            }
            const allPassed = report.tests.length > 0 && report.failed === 0 && report.errored === 0 && filesWithErrors === 0;
            process.exitCode = allPassed ? 0 : 1;
        });
}

function render(report: TestRunReport, reporter: TestOptions['reporter'], startedAt: Date): string {
    switch (reporter) {
        case 'json': return `${JSON.stringify(report, null, 2)}\n`;
        case 'junit': return junitReport(report, startedAt);
        case 'tap': return tapReport(report);
        case 'spec': return specReport(report);
    }
}
