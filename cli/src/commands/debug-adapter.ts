/**
 * `flowline debug-adapter`: the Debug Adapter Protocol over stdin/stdout, for any DAP client
 * (nvim-dap, Emacs dap-mode, VS Code). It debugs a .flow pipeline on its own local cluster; see
 * docs/debugging.md.
 */
import type { Command } from 'commander';

export function registerDebugAdapterCommand(program: Command): void {
    program.command('debug-adapter')
        .description('Speak the Debug Adapter Protocol on stdin/stdout (for nvim-dap, Emacs dap-mode and other DAP clients).')
        .action(async () => {
            // Loaded on demand: the other commands never pay for the adapter.
            const { runDebugAdapterOverStdio } = await import('../../../debug-adapter/src/run-over-stdio.js');
            runDebugAdapterOverStdio();
        });
}
