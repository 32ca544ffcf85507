/**
 * Completes file paths inside the path string of a source or sink connector, an import or a
 * UDF (`csv("data/or|`), relative to the .flow file. Works on the text of the line, because a
 * string being typed is not closed yet and so is not a token the parser knows.
 */
import { UriUtils, type FileSystemProvider, type LangiumDocument } from 'langium';
import { CompletionItemKind, type CompletionItem, type Position } from 'vscode-languageserver';

/** Which files each path-taking construct wants (undefined: any file). */
const EXTENSIONS: Record<string, string[] | undefined> = {
    csv: ['.csv', '.tsv', '.txt'],
    jsonl: ['.jsonl', '.ndjson', '.json'],
    text: undefined,
    import: ['.flow'],
    fn: ['.ts', '.js', '.mjs']
};

const PATH_STRING = /(?:\b(csv|jsonl|text|fn)\s*\(\s*|\b(import)\s+)"([^"]*)$/;

/** File-path completion for the .flow completion provider. */
export class FilePathCompleter {
    constructor(private readonly fileSystem: FileSystemProvider) {}

    /** The files and folders matching the path typed so far, or undefined when the cursor is not in a path string. */
    async complete(document: LangiumDocument, position: Position): Promise<CompletionItem[] | undefined> {
        const line = document.textDocument.getText({ start: { line: position.line, character: 0 }, end: position });
        const match = PATH_STRING.exec(line);
        if (!match || document.uri.scheme !== 'file') return undefined;
        const construct = match[1] ?? match[2];
        const typed = match[3];
        const folderPart = typed.slice(0, typed.lastIndexOf('/') + 1);
        const folder = UriUtils.resolvePath(UriUtils.dirname(document.uri), folderPart);
        const wanted = EXTENSIONS[construct];
        let entries;
        try {
            entries = await this.fileSystem.readDirectory(folder);
        } catch {
            return []; // The folder typed so far does not exist: nothing to offer.
        }
        const replace = { start: { line: position.line, character: position.character - (typed.length - folderPart.length) }, end: position };
        const items: CompletionItem[] = [];
        for (const entry of entries) {
            const name = UriUtils.basename(entry.uri);
            if (name.startsWith('.') || name === 'node_modules') continue;
            if (entry.isDirectory) {
                items.push({
                    label: `${name}/`, kind: CompletionItemKind.Folder, textEdit: { range: replace, newText: `${name}/` },
                    command: { title: 'Suggest', command: 'editor.action.triggerSuggest' }, sortText: `1${name}`
                });
            } else if (!wanted || wanted.some((ext) => name.toLowerCase().endsWith(ext))) {
                if (UriUtils.equals(entry.uri, document.uri)) continue;
                items.push({ label: name, kind: CompletionItemKind.File, textEdit: { range: replace, newText: name }, sortText: `0${name}` });
            }
        }
        return items;
    }
}
