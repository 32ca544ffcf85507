/** How a connector's signature reads in hovers, completion and signature help. */
import type { ConnectorSpec } from '../validation/connector-specs.js';

/** The parameters of a connector call: the unnamed path first, then the named options. */
export function connectorParams(c: ConnectorSpec): { label: string; doc: string }[] {
    const params: { label: string; doc: string }[] = [];
    if (c.path) params.push({ label: `path${c.path === 'optional' ? '?' : ''}: string`, doc: 'The file, relative to the .flow file.' });
    for (const [name, option] of Object.entries(c.options)) {
        const type = option.values ? option.values.map((v) => `"${v}"`).join(' | ') : option.type;
        params.push({ label: `${name}?: ${type}`, doc: option.doc });
    }
    return params;
}

/** `csv(path: string, header?: boolean, delimiter?: string)`, or just `print`. */
export function formatConnectorSignature(c: ConnectorSpec): string {
    const params = connectorParams(c);
    return params.length === 0 ? c.name : `${c.name}(${params.map((p) => p.label).join(', ')})`;
}
