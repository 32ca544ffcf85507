/**
 * The `flowline` command line: one program, a file per command under commands/.
 */
import { Command } from 'commander';
import { UsageError } from './usage-error.js';

/**
 * Every command, in the order `flowline --help` lists them, with the module that registers it.
 * A run of one command loads only that command's module (and what it imports): `flowline run`
 * does not pay for the Flink, Nexmark, test or debug-adapter code, nor for their dependencies.
 */
const COMMANDS: readonly (readonly [names: readonly string[], register: () => Promise<(program: Command) => void>])[] = [
    [['check'], async () => (await import('./commands/check.js')).registerCheckCommand],
    [['run'], async () => (await import('./commands/run.js')).registerRunCommand],
    [['stop', 'savepoint'], async () => (await import('./commands/stop.js')).registerStopCommand],
    [['test'], async () => (await import('./commands/test.js')).registerTestCommand],
    [['cluster'], async () => (await import('./commands/cluster.js')).registerClusterCommand],
    [['graph'], async () => (await import('./commands/graph.js')).registerGraphCommand],
    [['nexmark'], async () => (await import('./commands/nexmark.js')).registerNexmarkCommand],
    [['sql'], async () => (await import('./commands/sql.js')).registerSqlCommand],
    [['flink'], async () => (await import('./commands/flink.js')).registerFlinkCommand],
    [['submit'], async () => (await import('./commands/submit.js')).registerSubmitCommand],
    [['debug-adapter'], async () => (await import('./commands/debug-adapter.js')).registerDebugAdapterCommand]
];

const program = new Command('flowline')
    .description('Flowline: check, inspect and run .flow pipelines.')
    .showHelpAfterError()
    .exitOverride((err) => {
        // Usage errors exit 2 (like grep and git); --help and --version exit 0.
        process.exit(err.exitCode === 0 ? 0 : 2);
    });

async function main(): Promise<void> {
    // The program has no options of its own, so the first argument names the command. Anything
    // else (--help, no command, a misspelt one) registers them all, for the list and suggestions.
    const named = COMMANDS.find(([names]) => names.includes(process.argv[2]));
    const registers = await Promise.all((named ? [named] : COMMANDS).map(([, register]) => register()));
    for (const register of registers) register(program);
    await program.parseAsync(process.argv);
}

main().catch((err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    // A usage error may name several mistakes, one per line: each gets the prefix.
    const lines = err instanceof UsageError ? message.split('\n') : [message];
    for (const line of lines) console.error(`flowline: ${line}`);
    process.exit(err instanceof UsageError ? 2 : 1);
});
