// Node 20 lacks Object.groupBy (ES2024), which chevrotain's grammar checks call when
// langium-cli builds the parser. This adds the standard behaviour where it is missing.
if (typeof Object.groupBy !== 'function') {
    Object.groupBy = function groupBy(items, keyOf) {
        const groups = Object.create(null);
        let index = 0;
        for (const item of items) {
            const key = keyOf(item, index++);
            (groups[key] ??= []).push(item);
        }
        return groups;
    };
}
