/**
 * The in-host suite's entry (the `extensionTestsPath` convention of @vscode/test-electron):
 * runs the mocha tests inside the extension host and rejects when any fails.
 */
import Mocha from 'mocha';
import { extensionSuite } from './extension-suite.js';
import { report } from './suite-report.js';

export { report };

/** Runs every in-host test; rejects when any fails (the report names which). */
export function run(): Promise<void> {
    const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec' });
    extensionSuite(mocha.suite);
    return new Promise((resolve, reject) => {
        const runner = mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} in-host test(s) failed:\n${report.join('\n')}`)) : resolve()));
        runner.on('pass', (t) => report.push(`✔ ${t.fullTitle()}`));
        runner.on('fail', (t, err: Error) => report.push(`✖ ${t.fullTitle()}: ${err.message}`));
    });
}
