/** Durations and rates as the views print them (no vscode import: unit tests and the Flink model use them). */

/** "1.2 s", "3 min 4 s": durations as Flink's UI writes them. */
export function formatDuration(ms: number): string {
    if (ms < 0) return '-';
    if (ms < 1000) return `${ms} ms`;
    const s = Math.floor(ms / 1000);
    if (s < 60) return `${(ms / 1000).toFixed(1)} s`;
    const m = Math.floor(s / 60);
    if (m < 60) return `${m} min ${s % 60} s`;
    return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** Records per second, compact: 950, 12.3K, 4.5M. */
export function formatRate(perSecond: number): string {
    if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(1)}M`;
    if (perSecond >= 1e4) return `${(perSecond / 1e3).toFixed(1)}K`;
    return perSecond.toFixed(perSecond < 10 ? 1 : 0);
}
