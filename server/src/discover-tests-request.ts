/**
 * `flowline/discoverTests`: the test blocks of a document with the ranges of each block and of
 * its expect lines, for the editor's Test Explorer (language/src/testing/discover-tests.ts).
 */
import type { LangiumDocument } from 'langium';
import type { Connection } from 'vscode-languageserver';
import { discoverTests } from '../../language/src/testing/discover-tests.js';
import { FlowRequests, type DiscoveredTest, type DiscoverTestsParams } from '../../protocol/lsp-requests.js';

export function registerDiscoverTestsRequest(connection: Connection, validatedDocument: (uri: string) => Promise<LangiumDocument>): void {
    connection.onRequest(FlowRequests.discoverTests, async (params: DiscoverTestsParams): Promise<DiscoveredTest[]> =>
        discoverTests(await validatedDocument(params.uri)));
}
