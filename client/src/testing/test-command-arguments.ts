/**
 * The command line the Testing view runs: `flowline test <file> [--filter <name>] --reporter json`
 * (its stdout is one TestRunReport). Pure, so the unit tests run the CLI with the same arguments.
 */

/** The arguments of one run: one file, optionally the tests whose name contains `filter`. */
export function testCommandArguments(file: string, filter: string | undefined): string[] {
    return ['test', file, ...(filter === undefined ? [] : ['--filter', filter]), '--reporter', 'json'];
}
