/**
 * The HTML shell of every Flowline webview: a strict Content-Security-Policy (no remote
 * resources; scripts only with a per-load nonce), the bundled script and stylesheet from
 * dist/webviews/, and theme colours through VS Code's CSS variables.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/** A fresh nonce for one page load. */
export function createNonce(): string {
    return randomBytes(18).toString('base64');
}

/** The page of a webview whose code is dist/webviews/<name>.js (+ <name>.css). */
export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, name: string, title: string): string {
    const nonce = createNonce();
    const asset = (file: string): vscode.Uri => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webviews', file));
    const csp = [
        "default-src 'none'",
        `img-src ${webview.cspSource} data:`,
        `style-src ${webview.cspSource} 'nonce-${nonce}'`,
        `font-src ${webview.cspSource}`,
        `script-src 'nonce-${nonce}'`,
        // The graph view runs its layout in a worker made from its own bundled script.
        `worker-src blob:`,
        `connect-src ${webview.cspSource}`
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset(`${name}.css`).toString()}">
<title>${title}</title>
</head>
<body>
<div id="app" data-worker="${asset('elk-worker.js').toString()}"></div>
<script nonce="${nonce}" src="${asset(`${name}.js`).toString()}"></script>
</body>
</html>`;
}
