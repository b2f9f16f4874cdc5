// A stand-in for the `vscode` module, enough of it for the host's analysis and designer to run in
// plain Node: documents that change (with versions and change events), WorkspaceEdit applied as
// VS Code applies it, events, configuration, diagnostics collections. Importing this module
// installs it: import it before any src/host module.

import Module from 'node:module';
import { applyTextEdits } from '../../../src/language';

type Listener<T> = (e: T) => unknown;

export class EventEmitter<T> {
  private listeners = new Set<Listener<T>>();
  readonly event = (listener: Listener<T>): { dispose(): void } => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

export class Uri {
  private constructor(
    readonly scheme: string,
    readonly path: string,
  ) {}
  get fsPath(): string {
    return this.path;
  }
  static file(p: string): Uri {
    return new Uri('file', p);
  }
  static parse(s: string): Uri {
    const m = /^([a-z-]+):\/\/(.*)$/.exec(s);
    return m ? new Uri(m[1], m[2]) : new Uri('file', s);
  }
  static joinPath(base: Uri, ...parts: string[]): Uri {
    const segments = base.path.split('/');
    for (const p of parts) {
      for (const s of p.split('/')) {
        if (s === '..') segments.pop();
        else if (s && s !== '.') segments.push(s);
      }
    }
    return new Uri(base.scheme, segments.join('/'));
  }
  toString(): string {
    return `${this.scheme}://${this.path}`;
  }
}

export class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
}

export class Range {
  readonly start: Position;
  readonly end: Position;
  constructor(a: number | Position, b: number | Position, c?: number, d?: number) {
    if (typeof a === 'number') {
      this.start = new Position(a, b as number);
      this.end = new Position(c!, d!);
    } else {
      this.start = a;
      this.end = b as Position;
    }
  }
  isEqual(o: Range): boolean {
    return o.start.line === this.start.line && o.start.character === this.start.character && o.end.line === this.end.line && o.end.character === this.end.character;
  }
}

export class Selection extends Range {
  get active(): Position {
    return this.end;
  }
}

export class TextEdit {
  constructor(
    readonly range: Range,
    readonly newText: string,
  ) {}
}

export class WorkspaceEdit {
  readonly changes = new Map<string, TextEdit[]>();
  set(uri: Uri, edits: TextEdit[]): void {
    this.changes.set(uri.toString(), edits);
  }
}

export class Diagnostic {
  source?: string;
  code?: string;
  tags?: number[];
  constructor(
    readonly range: Range,
    readonly message: string,
    readonly severity: number,
  ) {}
}

export const DiagnosticSeverity = { Error: 0, Warning: 1, Information: 2, Hint: 3 };
export const DiagnosticTag = { Unnecessary: 1 };
export const EndOfLine = { LF: 1, CRLF: 2 };
export const TextEditorRevealType = { InCenterIfOutsideViewport: 2 };
export const ViewColumn = { Beside: -2 };
export const StatusBarAlignment = { Left: 1 };
export const ProgressLocation = { Notification: 15 };

export interface FakeDocument {
  uri: Uri;
  fileName: string;
  languageId: string;
  version: number;
  isClosed: boolean;
  eol: number;
  lineCount: number;
  getText(): string;
  lineAt(line: number): { text: string };
}

let text = new Map<string, string>();
const documents: FakeDocument[] = [];
const events = {
  open: new EventEmitter<FakeDocument>(),
  change: new EventEmitter<{ document: FakeDocument }>(),
  close: new EventEmitter<FakeDocument>(),
  save: new EventEmitter<FakeDocument>(),
  config: new EventEmitter<{ affectsConfiguration(s: string): boolean }>(),
  activeEditor: new EventEmitter<unknown>(),
  selection: new EventEmitter<unknown>(),
};
let active: { document: FakeDocument; selection?: Selection; revealRange(): void } | undefined;

function makeDocument(uri: Uri, languageId: string): FakeDocument {
  const key = uri.toString();
  return {
    uri,
    fileName: uri.fsPath,
    languageId,
    version: 1,
    isClosed: false,
    eol: EndOfLine.LF,
    get lineCount() {
      return (text.get(key) ?? '').split(/\r\n|\r|\n/).length;
    },
    getText: () => text.get(key) ?? '',
    lineAt: (line: number) => ({ text: (text.get(key) ?? '').split(/\r\n|\r|\n/)[line] ?? '' }),
  };
}

/** What a test sees of the stand-in, and how it plays the user. */
export const stub = {
  /** commands run with executeCommand */
  executed: [] as string[],
  /** notifications shown */
  shown: [] as string[],
  /** progress notifications shown (their titles), and a way to press their Cancel */
  progress: [] as string[],
  /** what the progress notifications reported, in order */
  reports: [] as unknown[],
  cancelProgress: undefined as (() => void) | undefined,
  configuration: new Map<string, unknown>(),
  openDocument(path: string, content: string, languageId = 'nnspec'): FakeDocument {
    const uri = Uri.file(path);
    text.set(uri.toString(), content);
    const doc = makeDocument(uri, languageId);
    documents.push(doc);
    events.open.fire(doc);
    return doc;
  },
  /** The user replaces the text (one change, one new version). */
  type(doc: FakeDocument, content: string): void {
    text.set(doc.uri.toString(), content);
    doc.version++;
    events.change.fire({ document: doc });
  },
  show(doc: FakeDocument): void {
    active = { document: doc, revealRange: () => undefined };
    events.activeEditor.fire(active);
  },
  reset(): void {
    for (const d of documents.splice(0)) d.isClosed = true;
    text = new Map();
    active = undefined;
    stub.executed.length = 0;
    stub.shown.length = 0;
    stub.progress.length = 0;
    stub.reports.length = 0;
    stub.cancelProgress = undefined;
  },
};

export const vscode = {
  EventEmitter,
  Uri,
  Position,
  Range,
  Selection,
  TextEdit,
  WorkspaceEdit,
  Diagnostic,
  DiagnosticSeverity,
  DiagnosticTag,
  EndOfLine,
  TextEditorRevealType,
  ViewColumn,
  StatusBarAlignment,
  ProgressLocation,
  workspace: {
    get textDocuments() {
      return documents.filter((d) => !d.isClosed);
    },
    onDidOpenTextDocument: events.open.event,
    onDidChangeTextDocument: events.change.event,
    onDidCloseTextDocument: events.close.event,
    onDidSaveTextDocument: events.save.event,
    onDidChangeConfiguration: events.config.event,
    isTrusted: true,
    workspaceFolders: undefined,
    getWorkspaceFolder: () => undefined,
    createFileSystemWatcher: () => ({ onDidChange: () => ({ dispose() {} }), onDidCreate: () => ({ dispose() {} }), onDidDelete: () => ({ dispose() {} }), dispose() {} }),
    getConfiguration: (section?: string) => ({
      get: <T>(key: string, fallback: T): T => (stub.configuration.has(`${section}.${key}`) ? (stub.configuration.get(`${section}.${key}`) as T) : fallback),
    }),
    /**
     * As the extension host sees it: the document changes (version, change event), then the
     * promise resolves with the main thread's answer, a later message (a task after the event).
     */
    applyEdit: async (edit: WorkspaceEdit): Promise<boolean> => {
      for (const [key, edits] of edit.changes) {
        const doc = documents.find((d) => d.uri.toString() === key && !d.isClosed);
        if (!doc) return false;
        stub.type(doc, applyTextEdits(doc.getText(), edits));
      }
      await new Promise((r) => setTimeout(r, 1));
      return true;
    },
    findFiles: async () => [],
    asRelativePath: (uri: Uri) => uri.fsPath,
    openTextDocument: async (uri: Uri) => documents.find((d) => d.uri.toString() === uri.toString()),
    fs: { stat: async () => assertNever() },
  },
  window: {
    get activeTextEditor() {
      return active;
    },
    get visibleTextEditors() {
      return active ? [active] : [];
    },
    onDidChangeActiveTextEditor: events.activeEditor.event,
    onDidChangeTextEditorSelection: events.selection.event,
    showTextDocument: async (doc: FakeDocument) => {
      stub.show(doc);
      return active;
    },
    showInformationMessage: async (m: string) => void stub.shown.push(m),
    showWarningMessage: async (m: string) => void stub.shown.push(m),
    showErrorMessage: async (m: string) => void stub.shown.push(m),
    setStatusBarMessage: (m: string) => void stub.shown.push(m),
    createStatusBarItem: () => ({ text: '', command: '', tooltip: '', show() {}, hide() {}, dispose() {} }),
    withProgress: async <T>(options: { title: string }, task: (progress: { report(v: unknown): void }, token: { onCancellationRequested(l: () => void): void }) => Promise<T>): Promise<T> => {
      stub.progress.push(options.title);
      const cancel = new EventEmitter<void>();
      stub.cancelProgress = () => cancel.fire();
      return task({ report: (v) => void stub.reports.push(v) }, { onCancellationRequested: (l) => void cancel.event(l) });
    },
  },
  languages: {
    createDiagnosticCollection: () => ({ set() {}, delete() {}, dispose() {} }),
  },
  commands: {
    executeCommand: async (name: string) => void stub.executed.push(name),
    registerCommand: () => ({ dispose() {} }),
  },
};

function assertNever(): never {
  throw new Error('no such file');
}

// the host modules import 'vscode': give them the stand-in
const loader = Module as unknown as { _load(request: string, parent: unknown, isMain: boolean): unknown };
const load = loader._load;
loader._load = function (request, parent, isMain) {
  return request === 'vscode' ? vscode : load.call(this, request, parent, isMain);
};
