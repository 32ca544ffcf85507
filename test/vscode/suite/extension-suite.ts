/**
 * In-host tests: the extension's commands and views driven through the VS Code API, inside a
 * real extension host (VS Code desktop through @vscode/test-electron, or code-server). The
 * workspace is a copy of test/e2e/fixtures (trusted).
 */
import assert from 'node:assert/strict';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import type { FlowlineApi } from '../../../client/src/extension.js';
import { report } from './suite-report.js';

/** Waits until `condition` holds, re-checking when the extension reports a change. */
async function eventually<T>(what: string, condition: () => T | undefined | false, api?: FlowlineApi): Promise<T> {
    const deadline = Date.now() + 45_000;
    for (;;) {
        const value = condition();
        if (value) return value;
        if (Date.now() > deadline) throw new Error(`Gave up waiting for ${what}.`);
        await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, 200);
            const sub = api?.context.jobs.onDidChange(() => { clearTimeout(timer); sub?.dispose(); resolve(); });
        });
    }
}

function fixture(name: string): vscode.Uri {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the test workspace is open');
    return vscode.Uri.joinPath(folder.uri, name);
}

/** Adds the extension's tests to a mocha suite. */
export function extensionSuite(root: Mocha.Suite): void {
    const suite = Mocha.Suite.create(root, 'Flowline in the extension host');
    let api: FlowlineApi;

    suite.beforeAll(async () => {
        await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(fixture('live-orders.flow')));
        const extension = vscode.extensions.getExtension<FlowlineApi>('flowline.flowline');
        assert.ok(extension, 'the extension is installed');
        api = await extension.activate();
    });

    suite.afterAll(async () => {
        await vscode.commands.executeCommand('flowline.stopCluster');
    });

    suite.addTest(new Mocha.Test('opening a .flow file activates the extension and starts the language server', async () => {
        const readyMs = await api.serverReady;
        assert.ok(api.context.client.isRunning());
        // Reported by the e2e runner: how long activation and the server start took.
        report.push(`  activation ${api.activationMs} ms, language server ready after ${readyMs} ms`);
    }));

    suite.addTest(new Mocha.Test('a broken file gets the language server\'s diagnostic', async () => {
        const uri = fixture('broken.flow');
        await vscode.workspace.openTextDocument(uri);
        const diagnostic = await eventually('the unknown-field diagnostic',
            () => vscode.languages.getDiagnostics(uri).find((d) => d.message.includes("Unknown field 'amont'")));
        assert.equal(diagnostic.range.start.line, 5);
    }));

    suite.addTest(new Mocha.Test('Show Job Graph draws every node of the pipeline', async () => {
        await vscode.commands.executeCommand('flowline.showJobGraph', fixture('live-orders.flow'), 'SlowOrders');
        const rendered = await eventually('the graph webview to draw', () => api.jobGraph()?.lastRendered);
        assert.equal(rendered.pipeline, 'SlowOrders');
        assert.equal(rendered.level, 'logical');
        assert.ok(rendered.nodeCount >= 5, `${rendered.nodeCount} nodes drawn`);
    }));

    suite.addTest(new Mocha.Test('the job graph follows edits as the user types', async () => {
        const uri = fixture('live-orders.flow');
        const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
        await vscode.commands.executeCommand('flowline.showJobGraph', uri, 'SlowOrders');
        const before = await eventually('the graph', () => api.jobGraph()?.lastRendered);
        const line = editor.document.getText().split('\n').findIndex((l) => l.includes('| filter amount > 10'));
        await editor.edit((edit) => edit.insert(new vscode.Position(line + 1, 0), '        | filter amount < 90\n'));
        try {
            const after = await eventually('the graph to redraw with the new operator',
                () => { const r = api.jobGraph()?.lastRendered; return r && r.nodeCount === before.nodeCount + 1 ? r : undefined; });
            assert.equal(after.pipeline, 'SlowOrders');
        } finally {
            await vscode.commands.executeCommand('workbench.action.files.revert');
        }
    }));

    suite.addTest(new Mocha.Test('Run Pipeline runs the job to FINISHED and collects its results', async () => {
        const jid = await vscode.commands.executeCommand<string | undefined>('flowline.runPipeline', fixture('live-orders.flow'), 'SlowOrders');
        assert.ok(jid, 'the job was submitted');
        const job = await eventually('the job to finish', () => {
            const tracked = api.context.jobs.get(jid);
            return tracked?.details?.state === 'FINISHED' ? tracked : undefined;
        }, api);
        const subtasks = [...job.vertices.values()].flatMap((v) => v.subtasks);
        assert.ok(subtasks.length > 0 && subtasks.every((s) => s.status === 'FINISHED'));
        const rows = [...job.results.values()].reduce((n, r) => n + r.rows.length, 0);
        assert.ok(rows > 0, 'the collect sink returned rows');
    }));

    suite.addTest(new Mocha.Test('a job that fails puts the runtime\'s error on the source line it names', async () => {
        const uri = fixture('failing.flow');
        const jid = await vscode.commands.executeCommand<string | undefined>('flowline.runPipeline', uri, 'StrictOrders');
        assert.ok(jid, 'the job was submitted');
        await eventually('the job to fail', () => api.context.jobs.get(jid)?.details?.state === 'FAILED', api);
        const diagnostic = await eventually('the runtime diagnostic',
            () => vscode.languages.getDiagnostics(uri).find((d) => d.source === 'flowline run'));
        assert.match(diagnostic.message, /expected a double for field "amount"/);
        assert.equal(diagnostic.range.start.line, 3, 'on the source the runtime named');
    }));

    suite.addTest(new Mocha.Test('after the cluster process crashes, the next run starts a new one', async () => {
        const crashed = api.context.cluster.connection?.process.hello.pid;
        assert.ok(crashed, 'a cluster runs');
        process.kill(crashed, 'SIGKILL');
        await eventually('the crash to be noticed', () => api.context.cluster.connection === undefined, api);
        const jid = await vscode.commands.executeCommand<string | undefined>('flowline.runPipeline', fixture('live-orders.flow'), 'SlowOrders');
        assert.ok(jid, 'the job was submitted');
        await eventually('the job to finish', () => api.context.jobs.get(jid)?.details?.state === 'FINISHED', api);
        assert.notEqual(api.context.cluster.connection?.process.hello.pid, crashed);
    }));

    suite.addTest(new Mocha.Test('Stop Job cancels a streaming job; while it runs, its duration in the Jobs view ticks', async () => {
        const jid = await vscode.commands.executeCommand<string | undefined>('flowline.runPipeline', fixture('live-orders.flow'), 'EndlessOrders');
        assert.ok(jid, 'the job was submitted');
        await eventually('the job to run', () => api.context.jobs.get(jid)?.details?.state === 'RUNNING', api);
        // The job row's description is "RUNNING · <duration>"; it must change with no new REST read.
        const description = (): string => {
            const node = api.jobsTree.getChildren().find((n) => n.kind === 'job' && n.job.jid === jid);
            return node ? String(api.jobsTree.getTreeItem(node).description) : '';
        };
        const seconds = (text: string): number => {
            const match = /· (?:(\d+) min )?([\d.]+) (m?s)/.exec(text);
            assert.ok(match, `a duration in "${text}"`);
            return Number(match[1] ?? 0) * 60 + Number(match[2]) / (match[3] === 'ms' ? 1000 : 1);
        };
        // VS Code redraws a row only when the view says its data changed: count those signals.
        let redraws = 0;
        const counting = api.jobsTree.onDidChangeTreeData(() => redraws++);
        const first = description();
        await new Promise((done) => setTimeout(done, 3000));
        const second = description();
        counting.dispose();
        assert.ok(seconds(second) - seconds(first) >= 2.5, `the duration ticked: "${first}" then "${second}"`);
        assert.ok(redraws >= 2, `the Jobs view asked VS Code to redraw ${redraws} times in 3 s`);
        assert.ok(api.jobsTree.ticking, 'the Jobs view ticks while a job runs');
        await vscode.commands.executeCommand('flowline.stopJob', jid);
        await eventually('the job to be canceled', () => api.context.jobs.get(jid)?.details?.state === 'CANCELED', api);
        await eventually('the ticker to stop once no job runs', () => !api.jobsTree.ticking, api);
    }));

    suite.addTest(new Mocha.Test('Peek Records opens a tap on a running job\'s stream, forwards its sampled records, and closing the view closes the tap', async () => {
        const uri = fixture('live-orders.flow');
        const jid = await vscode.commands.executeCommand<string | undefined>('flowline.runPipeline', uri, 'EndlessOrders');
        assert.ok(jid, 'the job was submitted');
        await eventually('the job to run', () => api.context.jobs.get(jid)?.details?.state === 'RUNNING', api);
        const panel = await vscode.commands.executeCommand<{ forwarded: number; tap: { info: { id: string; nodeId: string; stream: string } }; dispose(): void } | undefined>(
            'flowline.peekRecords', uri, 'EndlessOrders', 'big');
        assert.ok(panel, 'the view opened');
        assert.equal(panel.tap.info.stream, 'big');
        assert.equal(panel.tap.info.nodeId, 'EndlessOrders/big/0-filter');
        await eventually('sampled records to reach the view', () => panel.forwarded > 0);
        const rest = api.context.cluster.connection!.rest;
        assert.deepEqual((await rest.taps(jid)).taps.map((t) => t.id), [panel.tap.info.id]);
        panel.dispose();
        const deadline = Date.now() + 10_000;
        while ((await rest.taps(jid)).taps.length > 0) {
            assert.ok(Date.now() < deadline, 'the tap was closed');
            await new Promise((done) => setTimeout(done, 200));
        }
        assert.equal(api.peekPanels().length, 0);
        await vscode.commands.executeCommand('flowline.stopJob', jid);
        await eventually('the job to be canceled', () => api.context.jobs.get(jid)?.details?.state === 'CANCELED', api);
    }));

    suite.addTest(new Mocha.Test('a flowline launch configuration without a pipeline debugs the one under the cursor, on a cluster of the configured size, to its end', async () => {
        const uri = fixture('debug-orders.flow');
        const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
        const line = editor.document.getText().split('\n').findIndex((l) => l.includes('| filter amount > 20'));
        editor.selection = new vscode.Selection(line, 4, line, 4);
        const started = new Promise<vscode.DebugSession>((resolve) => {
            const sub = vscode.debug.onDidStartDebugSession((session) => { sub.dispose(); resolve(session); });
        });
        const output: string[] = [];
        const tracker = vscode.debug.registerDebugAdapterTrackerFactory('flowline', {
            createDebugAdapterTracker: () => ({
                onDidSendMessage: (message: { type?: string; event?: string; body?: { output?: string } }) => {
                    if (message.type === 'event' && message.event === 'output' && message.body?.output) output.push(message.body.output);
                }
            })
        });
        try {
            const ok = await vscode.debug.startDebugging(vscode.workspace.workspaceFolders?.[0], { type: 'flowline', request: 'launch', name: 'Debug Pipeline', program: uri.fsPath });
            assert.ok(ok, 'the session started');
            const session = await started;
            assert.equal(session.configuration.pipeline, 'DebugOrders');
            assert.equal(session.name, 'Debug DebugOrders');
            const config = vscode.workspace.getConfiguration('flowline');
            assert.equal(session.configuration.taskManagers, config.get('cluster.taskManagers'));
            assert.equal(session.configuration.slots, config.get('cluster.slotsPerTaskManager'));
            await eventually('the debugged job to finish', () => output.join('').includes('Job FINISHED'));
        } finally {
            tracker.dispose();
        }
    }));
}
