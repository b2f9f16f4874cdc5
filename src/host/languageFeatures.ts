// The vscode side of the language features: thin adapters from the language core's plain
// results to the VS Code API. All logic lives in src/language.

import * as vscode from 'vscode';
import {
  completionsAt,
  documentSymbols,
  formatEdits,
  hoverAt,
  testExamples,
  layerHints,
  type CompletionKind,
  type SymbolKind,
} from '../language';
import type { AnalysisService } from './analysis';
import { fromVsPosition, toVsRange, toVsTextEdit } from './convert';

const SELECTOR: vscode.DocumentSelector = { language: 'nnspec' };

const COMPLETION_KIND: Record<CompletionKind, vscode.CompletionItemKind> = {
  keyword: vscode.CompletionItemKind.Keyword,
  value: vscode.CompletionItemKind.EnumMember,
  property: vscode.CompletionItemKind.Property,
  snippet: vscode.CompletionItemKind.Snippet,
};

const SYMBOL_KIND: Record<SymbolKind, vscode.SymbolKind> = {
  network: vscode.SymbolKind.Module,
  input: vscode.SymbolKind.Variable,
  layer: vscode.SymbolKind.Class,
  loss: vscode.SymbolKind.Function,
  data: vscode.SymbolKind.File,
  setting: vscode.SymbolKind.Property,
};

/** How long a hover waits for a data read under way before it answers with m unknown. */
const HOVER_DATA_WAIT_MS = 2000;

export function registerLanguageFeatures(analysis: AnalysisService): vscode.Disposable[] {
  const inlayChanged = new vscode.EventEmitter<void>();
  const lensChanged = new vscode.EventEmitter<void>();
  const onAnalyzed = analysis.onDidAnalyze(() => {
    inlayChanged.fire();
    lensChanged.fire();
  });
  const onConfig = vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('nnspec.inlayHints')) inlayChanged.fire();
    if (e.affectsConfiguration('nnspec.codeLens')) lensChanged.fire();
  });

  return [
    inlayChanged,
    lensChanged,
    onAnalyzed,
    onConfig,
    vscode.languages.registerHoverProvider(SELECTOR, {
      async provideHover(document, position, token) {
        // m comes from the data: a hover while it is still being read waits a moment for it
        // (the read runs in the data worker), then answers with what is known
        const a = await analysis.withData(document, HOVER_DATA_WAIT_MS, token);
        if (token.isCancellationRequested) return undefined;
        const result = hoverAt(a.parsed, fromVsPosition(position), a.facts.m, testExamples(a.parsed, a.dataFacts));
        if (!result) return undefined;
        const md = new vscode.MarkdownString(result.markdown);
        return new vscode.Hover(md, toVsRange(result.range));
      },
    }),
    vscode.languages.registerCompletionItemProvider(
      SELECTOR,
      {
        async provideCompletionItems(document, position) {
          const line = document.lineAt(position.line).text;
          const pathPrefix = dataPathPrefix(line.slice(0, position.character));
          if (pathPrefix !== undefined) return dataFileCompletions(document, position, pathPrefix);
          return completionsAt(line, fromVsPosition(position)).map((c) => {
            const item = new vscode.CompletionItem(c.label, COMPLETION_KIND[c.kind]);
            item.detail = c.detail;
            if (c.documentation) item.documentation = new vscode.MarkdownString(c.documentation);
            if (c.snippet) item.insertText = new vscode.SnippetString(c.snippet);
            return item;
          });
        },
      },
      ' ',
      '"',
      '/',
    ),
    vscode.languages.registerDocumentSymbolProvider(SELECTOR, {
      provideDocumentSymbols(document) {
        const { parsed } = analysis.get(document);
        return documentSymbols(parsed).map(
          (s) => new vscode.DocumentSymbol(s.name, s.detail, SYMBOL_KIND[s.kind], toVsRange(s.range), toVsRange(s.selectionRange)),
        );
      },
    }),
    vscode.languages.registerDocumentFormattingEditProvider(SELECTOR, {
      provideDocumentFormattingEdits(document) {
        return formatEdits(document.getText()).map(toVsTextEdit);
      },
    }),
    vscode.languages.registerCodeActionsProvider(
      SELECTOR,
      {
        provideCodeActions(document, range, context) {
          const a = analysis.get(document);
          const actions: vscode.CodeAction[] = [];
          for (const vsDiagnostic of context.diagnostics) {
            if (vsDiagnostic.source !== 'nnspec') continue;
            const ours = a.diagnostics.find(
              (d) => d.code === vsDiagnostic.code && toVsRange(d.range).isEqual(vsDiagnostic.range),
            );
            for (const fix of ours?.fixes ?? []) {
              const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
              action.diagnostics = [vsDiagnostic];
              action.isPreferred = fix.preferred;
              action.edit = new vscode.WorkspaceEdit();
              for (const e of fix.edits) action.edit.replace(document.uri, toVsRange(e.range), e.newText);
              actions.push(action);
            }
          }
          void range;
          return actions;
        },
      },
      { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] },
    ),
    vscode.languages.registerCodeLensProvider(SELECTOR, {
      onDidChangeCodeLenses: lensChanged.event,
      provideCodeLenses(document) {
        if (!vscode.workspace.getConfiguration('nnspec').get<boolean>('codeLens.enabled', true)) return [];
        const { parsed } = analysis.get(document);
        const first = parsed.layers[0]?.statement ?? parsed.single.input;
        if (!first) return [];
        const range = toVsRange(first.range);
        return [
          new vscode.CodeLens(range, { title: '$(play) Train', command: 'nnspec.train', arguments: [document.uri] }),
          new vscode.CodeLens(range, { title: 'Open designer', command: 'nnspec.openDesigner' }),
          new vscode.CodeLens(range, { title: 'Shapes', command: 'nnspec.showShapes', arguments: [document.uri] }),
          new vscode.CodeLens(range, { title: 'Sweep…', command: 'nnspec.runSweep', arguments: [document.uri] }),
        ];
      },
    }),
    vscode.languages.registerInlayHintsProvider(SELECTOR, {
      onDidChangeInlayHints: inlayChanged.event,
      provideInlayHints(document, range) {
        if (!vscode.workspace.getConfiguration('nnspec').get<boolean>('inlayHints.enabled', true)) return [];
        const a = analysis.get(document);
        const hints: vscode.InlayHint[] = [];
        // every layer whose W is known gets its hint, even when another layer is malformed
        for (const h of layerHints(a.parsed, a.facts.m, a.shapes)) {
          if (h.line < range.start.line || h.line > range.end.line) continue;
          const hint = new vscode.InlayHint(new vscode.Position(h.line, h.character), h.label, vscode.InlayHintKind.Type);
          hint.paddingLeft = true;
          hint.tooltip = h.tooltip;
          hints.push(hint);
        }
        return hints;
      },
    }),
  ];
}

/** Inside the quoted path of a `data train|test "...` line: the text typed so far. */
function dataPathPrefix(before: string): string | undefined {
  const m = /^\s*data\s+(?:train|test)\s+"([^"]*)$/.exec(before);
  return m ? m[1] : undefined;
}

const DATA_FILE = /\.(csv|h5|hdf5)$/i;

/** Data files (and folders) next to the spec, for the path being typed. */
async function dataFileCompletions(document: vscode.TextDocument, position: vscode.Position, typed: string): Promise<vscode.CompletionItem[]> {
  const slash = typed.lastIndexOf('/');
  const folderPart = slash >= 0 ? typed.slice(0, slash + 1) : '';
  const base = vscode.Uri.joinPath(document.uri, '..', folderPart);
  let entries: [string, vscode.FileType][];
  try {
    entries = await vscode.workspace.fs.readDirectory(base);
  } catch {
    return [];
  }
  const replace = new vscode.Range(position.line, position.character - (typed.length - folderPart.length), position.line, position.character);
  return entries
    .filter(([name, type]) => !name.startsWith('.') && (type === vscode.FileType.Directory || DATA_FILE.test(name)))
    .map(([name, type]) => {
      const isDir = type === vscode.FileType.Directory;
      const item = new vscode.CompletionItem(isDir ? name + '/' : name, isDir ? vscode.CompletionItemKind.Folder : vscode.CompletionItemKind.File);
      item.range = replace;
      if (isDir) item.command = { command: 'editor.action.triggerSuggest', title: 'Suggest' };
      return item;
    });
}
