import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { isEmptyConfiguration, launchConfigurationFor, launchConfigurationProblems, testLaunchConfigurationFor } from '../../client/src/debugging/flow-launch-configuration.js';

interface DebuggerContribution {
    type: string;
    languages: string[];
    configurationAttributes: { launch: { required: string[]; properties: Record<string, { markdownDescription?: string }> } };
    initialConfigurations: { type: string; request: string; program: string }[];
    configurationSnippets: { body: Record<string, unknown> }[];
}
const manifest = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as {
    contributes: { debuggers: DebuggerContribution[]; breakpoints: { language: string }[] };
    activationEvents: string[];
};

test('package.json contributes the flowline debug type for .flow files, with breakpoints allowed in them', () => {
    const [debuggerEntry] = manifest.contributes.debuggers;
    assert.equal(debuggerEntry.type, 'flowline');
    assert.deepEqual(debuggerEntry.languages, ['flow']);
    assert.deepEqual(manifest.contributes.breakpoints, [{ language: 'flow' }]);
    assert.ok(manifest.activationEvents.includes('onDebugResolve:flowline'));
    assert.ok(manifest.activationEvents.includes('onDebugDynamicConfigurations:flowline'));
});

test('every launch attribute of the issues is declared and documented', () => {
    const { properties, required } = manifest.contributes.debuggers[0].configurationAttributes.launch;
    // `test` is issue 13's Debug Test.
    const attributes = ['program', 'pipeline', 'mode', 'parallelism', 'stopOnEntry', 'taskManagers', 'slots', 'restPort', 'test'];
    assert.deepEqual(Object.keys(properties).sort(), [...attributes].sort());
    for (const name of attributes) assert.ok((properties[name].markdownDescription ?? '').length > 20, `${name} is documented`);
    assert.deepEqual(required, ['program']);
});

test('the initial configuration and the snippets are launch configurations the checks accept', () => {
    const { initialConfigurations, configurationSnippets } = manifest.contributes.debuggers[0];
    for (const config of initialConfigurations) {
        assert.deepEqual(launchConfigurationProblems({ ...config, name: 'x', program: '/w/orders.flow' }), []);
    }
    for (const snippet of configurationSnippets) {
        assert.equal(snippet.body.type, 'flowline');
        assert.equal(snippet.body.request, 'launch');
        assert.match(String(snippet.body.program), /\$\{(file|workspaceFolder)\}/);
    }
});

test('F5 without a launch.json passes an empty configuration, which is recognised', () => {
    assert.ok(isEmptyConfiguration({}));
    assert.ok(!isEmptyConfiguration(launchConfigurationFor('/w/a.flow', 'Orders')));
});

test('a configuration without a .flow program or not a launch is refused with a sentence naming the attribute', () => {
    const good = launchConfigurationFor('/w/orders.flow', 'Orders');
    assert.deepEqual(launchConfigurationProblems(good), []);
    assert.deepEqual(launchConfigurationProblems({ ...good, program: '/w/orders.csv' }), ['"program" must be a .flow file; got /w/orders.csv.']);
    assert.match(launchConfigurationProblems({ ...good, request: 'attach' }).join(), /"request" must be "launch"/);
    assert.match(launchConfigurationProblems({ ...good, program: undefined }).join(), /"program" must name the .flow file/);
});

test('the Testing view\'s Debug Test launches the test of a file, with no pipeline for the extension to ask for', () => {
    const config = testLaunchConfigurationFor('/w/spend.test.flow', 'small orders count');
    assert.deepEqual(launchConfigurationProblems(config), []);
    assert.equal(config.test, 'small orders count');
    assert.equal(config.pipeline, undefined);
});
