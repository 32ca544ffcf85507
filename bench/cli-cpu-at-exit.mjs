// Preloaded (`node --import`) into a CLI process by bench/language-server.ts: writes the process's
// own CPU time (user + system, ms) to the file FLOWLINE_CPU_REPORT names when it exits, so the
// benchmark sees the CLI's cost alone, not the waiting of a loaded machine.
import { writeFileSync } from 'node:fs';

const report = process.env.FLOWLINE_CPU_REPORT;
if (report) {
    process.on('exit', () => {
        const { user, system } = process.cpuUsage();
        writeFileSync(report, String((user + system) / 1000));
    });
}
