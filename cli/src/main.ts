/**
 * The `flowline` command line: one program, a file per command under commands/.
 */
import { Command } from 'commander';
import { registerCheckCommand } from './commands/check.js';
import { registerClusterCommand } from './commands/cluster.js';
import { registerDebugAdapterCommand } from './commands/debug-adapter.js';
import { registerFlinkCommand } from './commands/flink.js';
import { registerRunCommand } from './commands/run.js';
import { registerSubmitCommand } from './commands/submit.js';
import { registerGraphCommand } from './commands/graph.js';
import { registerNexmarkCommand } from './commands/nexmark.js';
import { registerSqlCommand } from './commands/sql.js';
import { registerStopCommand } from './commands/stop.js';
import { registerTestCommand } from './commands/test.js';
import { UsageError } from './usage-error.js';

const program = new Command('flowline')
    .description('Flowline: check, inspect and run .flow pipelines.')
    .showHelpAfterError()
    .exitOverride((err) => {
        // Usage errors exit 2 (like grep and git); --help and --version exit 0.
        process.exit(err.exitCode === 0 ? 0 : 2);
    });

registerCheckCommand(program);
registerRunCommand(program);
registerStopCommand(program);
registerTestCommand(program);
registerClusterCommand(program);
registerGraphCommand(program);
registerNexmarkCommand(program);
registerSqlCommand(program);
registerFlinkCommand(program);
registerSubmitCommand(program);
registerDebugAdapterCommand(program);

program.parseAsync(process.argv).catch((err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    // A usage error may name several mistakes, one per line: each gets the prefix.
    const lines = err instanceof UsageError ? message.split('\n') : [message];
    for (const line of lines) console.error(`flowline: ${line}`);
    process.exit(err instanceof UsageError ? 2 : 1);
});
