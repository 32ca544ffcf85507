/**
 * A helper extension for the e2e tier only: in code-server, where @vscode/test-electron cannot
 * launch anything, it runs the in-host suite inside the extension host. code-server passes its
 * environment to the extension host, so FLOWLINE_IN_HOST_SUITE names the bundled suite and
 * FLOWLINE_IN_HOST_RESULT the JSON file the outcome is written to. Without them it does nothing.
 */
import { writeFileSync } from 'node:fs';

/** The outcome the e2e test reads. */
export interface InHostResult { passed: boolean; error?: string; output: string[] }

export async function activate(): Promise<void> {
    const suite = process.env.FLOWLINE_IN_HOST_SUITE;
    const resultFile = process.env.FLOWLINE_IN_HOST_RESULT;
    if (!suite || !resultFile) return;
    // require, not import(): the suite needs VS Code's `vscode` module, which the extension
    // host provides through CommonJS loading; its path is only known at run time.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const inHost = require(suite) as { run(): Promise<void>; report: string[] };
    let result: InHostResult;
    try {
        await inHost.run();
        result = { passed: true, output: inHost.report };
    } catch (err) {
        result = { passed: false, error: err instanceof Error ? err.message : String(err), output: inHost.report };
    }
    writeFileSync(resultFile, JSON.stringify(result, null, 2));
}

export function deactivate(): void {}
