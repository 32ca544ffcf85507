/** Lines the in-host suite reports back (one per test, plus measured figures). */
export const report: string[] = [];
