/**
 * Runs a refresh at most once per interval, however often it is asked for: the first request
 * runs soon, later ones within the interval are merged into one trailing run. Views need this
 * because a running job sends many messages a second, and a tree or webview that is asked to
 * redraw faster than it can cancels its own redraws and shows nothing.
 */
export class RefreshThrottle {
    private timer: ReturnType<typeof setTimeout> | undefined;
    private last = 0;

    constructor(private readonly intervalMs: number, private readonly refresh: () => void) {}

    /** Asks for a refresh. */
    request(): void {
        if (this.timer) return;
        const wait = Math.max(20, this.last + this.intervalMs - Date.now());
        this.timer = setTimeout(() => {
            this.timer = undefined;
            this.last = Date.now();
            this.refresh();
        }, wait);
    }

    dispose(): void {
        if (this.timer) clearTimeout(this.timer);
        this.timer = undefined;
    }
}
