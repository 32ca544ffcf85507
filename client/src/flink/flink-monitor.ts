/**
 * Follows the Flink cluster the editor talks to (flink-endpoints.ts) through its REST API, for the
 * Cluster and Jobs views: polled every two seconds while either view is visible and never
 * otherwise, and once on demand (after a deploy, a cancel, a settings change).
 */
import * as vscode from 'vscode';
import { FlinkRestClient } from '../../../flink/src/rest/flink-rest-client.js';
import type { Config } from '../config.js';
import { readFlinkSnapshot, type EndedJobCache, type FlinkClusterSnapshot } from './flink-cluster-snapshot.js';
import { currentFlinkEndpoints } from './local-flink-endpoints.js';
import type { FlinkEndpoints } from './flink-endpoints.js';

/** How often the views' Flink part is read while one of them is visible. */
export const FLINK_POLL_MS = 2000;

/** The last reading of the Flink cluster, or why there is none. */
export type FlinkReading =
    | { kind: 'none' }
    | { kind: 'snapshot'; endpoints: FlinkEndpoints; snapshot: FlinkClusterSnapshot }
    /** Nothing answered at a Flink the user set up (settings or `flowline flink start`). */
    | { kind: 'unreachable'; endpoints: FlinkEndpoints; message: string };

/** Polls the Flink cluster while the views that show it are visible. */
export class FlinkMonitor implements vscode.Disposable {
    private readonly changeEmitter = new vscode.EventEmitter<FlinkReading>();
    readonly onDidChange = this.changeEmitter.event;
    private current: FlinkReading = { kind: 'none' };
    private readonly visibleViews = new Set<string>();
    private timer: ReturnType<typeof setInterval> | undefined;
    private reading: Promise<void> | undefined;
    private ended: EndedJobCache = new Map();
    private endedFor = '';

    constructor(private readonly config: Config, private readonly log: vscode.OutputChannel) {}

    get last(): FlinkReading { return this.current; }

    /** Jobs this window deployed: the document and pipeline each came from. */
    readonly deployed = new Map<string, { documentUri: string; pipeline: string }>();

    /** Remembers where a deployed job came from (the graph view overlays it on its pipeline). */
    remember(jid: string, documentUri: string, pipeline: string): void {
        this.deployed.set(jid, { documentUri, pipeline });
    }

    /** True while the REST API is polled (for the in-host tests). */
    get polling(): boolean { return this.timer !== undefined; }

    /** A view showing Flink rows became visible or hidden. */
    setViewVisible(viewId: string, visible: boolean): void {
        if (visible) this.visibleViews.add(viewId);
        else this.visibleViews.delete(viewId);
        if (this.visibleViews.size > 0 && !this.timer) {
            this.timer = setInterval(() => void this.refresh(), FLINK_POLL_MS);
            void this.refresh();
        } else if (this.visibleViews.size === 0 && this.timer) {
            clearInterval(this.timer);
            this.timer = undefined;
        }
    }

    /** Reads the cluster now (one reading at a time; a request during one waits for it). */
    refresh(): Promise<void> {
        this.reading ??= this.read().finally(() => { this.reading = undefined; });
        return this.reading;
    }

    dispose(): void {
        if (this.timer) clearInterval(this.timer);
        this.timer = undefined;
        this.changeEmitter.dispose();
    }

    private async read(): Promise<void> {
        const endpoints = currentFlinkEndpoints(this.config);
        if (endpoints.restUrl !== this.endedFor) {
            this.ended = new Map();
            this.endedFor = endpoints.restUrl;
        }
        let next: FlinkReading;
        try {
            const snapshot = await readFlinkSnapshot(endpoints.restUrl, new FlinkRestClient(endpoints.restUrl, 5000), this.ended);
            next = { kind: 'snapshot', endpoints, snapshot };
        } catch (err) {
            const message = err instanceof Error ? err.message : String(err);
            // Without settings or a local Flink, nothing answering at Flink's default port is the normal case.
            next = endpoints.from === 'defaults' ? { kind: 'none' } : { kind: 'unreachable', endpoints, message };
            if (this.current.kind === 'snapshot') this.log.appendLine(`[flink] ${endpoints.restUrl} stopped answering: ${message}`);
        }
        const unchanged = next.kind === 'none' && this.current.kind === 'none';
        this.current = next;
        // No Flink before and none now: the views have nothing to redraw.
        if (!unchanged) this.changeEmitter.fire(next);
    }
}
