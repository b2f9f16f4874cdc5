// Keeps every open `.nnspec` document analysed: parse at once on each change (so syntax
// errors show as the user types), then the data-dependent checks once the data summaries are
// read (debounced; read off this thread by the data worker, cached there). Publishes to the
// Problems panel and to listeners (the designer, code lenses, inlay hints).

import { totalmem } from 'node:os';
import * as vscode from 'vscode';
import { DEFAULT_MEMORY_BUDGET_MB, megabytes } from '../shared/memory';
import { checkSpec, parseSpec, trainingExamples, type CheckOptions, type Diagnostic, type ParsedSpec } from '../language';
import type { DataFacts } from '../shared/data';
import { toVsDiagnostic } from './convert';
import type { DataCheckResult } from './dataChecks';

/** Reads what the data checks need of a document's data (DataAccess in the extension). */
export interface DataChecker {
  check(document: vscode.TextDocument, parsed: ParsedSpec): Promise<DataCheckResult>;
}

export const LANGUAGE_ID = 'nnspec';

export interface Analysis {
  uri: vscode.Uri;
  version: number;
  parsed: ParsedSpec;
  facts: DataFacts;
  /** the host's diagnostics about the data lines (Restricted Mode, outside the workspace, too large) */
  dataDiagnostics: Diagnostic[];
  diagnostics: Diagnostic[];
  /** training examples, when known */
  m?: number;
  /** the data sources the facts were read for */
  factsKey: string;
}

export class AnalysisService implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('nnspec');
  private readonly analyses = new Map<string, Analysis>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly emitter = new vscode.EventEmitter<Analysis>();
  private readonly disposables: vscode.Disposable[] = [];
  /** fires after every (re)analysis of a document */
  readonly onDidAnalyze = this.emitter.event;

  constructor(
    private readonly data: DataChecker | undefined,
    private readonly dataDelayMs = 250,
  ) {
    this.disposables.push(
      this.collection,
      this.emitter,
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
      vscode.workspace.onDidSaveTextDocument((d) => this.schedule(d)),
    );
    // data files may change on disk (re-exported CSV): re-read when any file is saved/created
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.{csv,h5,hdf5}');
    const changed = (): void => {
      this.dataFilesChanged?.();
      this.refreshAll();
    };
    this.disposables.push(watcher, watcher.onDidChange(changed), watcher.onDidCreate(changed), watcher.onDidDelete(changed));
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('nnspec.training.memoryBudgetMB')) this.refreshAll();
      }),
    );
    vscode.workspace.textDocuments.forEach((d) => this.schedule(d));
  }

  /** Called when a data file changes on disk, before the documents are analysed again. */
  dataFilesChanged: (() => void) | undefined;

  /** Analyse every open spec again, data included (trust granted, limits changed, data changed). */
  refreshAll(): void {
    // (what is shown stays until the new analysis replaces it: no flicker)
    vscode.workspace.textDocuments.forEach((d) => this.schedule(d));
  }

  static isSpec(document: vscode.TextDocument): boolean {
    return document.languageId === LANGUAGE_ID;
  }

  /** The latest analysis, computed now (without data facts) if none is cached for this version. */
  get(document: vscode.TextDocument): Analysis {
    const cached = this.analyses.get(document.uri.toString());
    if (cached && cached.version === document.version) return cached;
    return this.analyseSync(document, cached);
  }

  /** Analyse now, including the data checks; resolves when the diagnostics are published. */
  async refresh(document: vscode.TextDocument): Promise<Analysis> {
    const quick = this.analyseSync(document, this.analyses.get(document.uri.toString()));
    const data = this.data ? await this.data.check(document, quick.parsed) : { facts: {}, diagnostics: [] };
    if (document.isClosed || document.version !== quick.version) return this.get(document);
    return this.publish(document, quick.parsed, data.facts, data.diagnostics);
  }

  private analyseSync(document: vscode.TextDocument, previous: Analysis | undefined): Analysis {
    const parsed = parseSpec(document.getText());
    // keep the data facts while typing, as long as the data lines name the same sources (the
    // host's data diagnostics move with their data lines)
    const keep = previous && previous.factsKey === dataKey(parsed);
    return this.publish(document, parsed, keep ? previous.facts : {}, keep ? moveToDataLines(previous.dataDiagnostics, previous.parsed, parsed) : []);
  }

  private publish(document: vscode.TextDocument, parsed: ParsedSpec, facts: DataFacts, dataDiagnostics: Diagnostic[]): Analysis {
    const diagnostics = [...checkSpec(parsed, facts, memoryLimits()), ...dataDiagnostics].sort(
      (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
    );
    const analysis: Analysis = {
      uri: document.uri,
      version: document.version,
      parsed,
      facts,
      dataDiagnostics,
      diagnostics,
      m: trainingExamples(parsed, facts),
      factsKey: dataKey(parsed),
    };
    this.analyses.set(document.uri.toString(), analysis);
    this.collection.set(document.uri, diagnostics.map(toVsDiagnostic));
    this.emitter.fire(analysis);
    return analysis;
  }

  private schedule(document: vscode.TextDocument): void {
    if (!AnalysisService.isSpec(document)) return;
    const key = document.uri.toString();
    // syntax and value errors at once; data checks after a pause in typing
    const previous = this.analyses.get(key);
    if (!previous || previous.version !== document.version) this.analyseSync(document, previous);
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.refresh(document).catch((err) => console.error('nnspec: analysis failed', err));
      }, this.dataDelayMs),
    );
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.analyses.delete(key);
    this.collection.delete(uri);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.disposables.forEach((d) => d.dispose());
  }
}

/** The memory checks' limits: the setting nnspec.training.memoryBudgetMB and the machine's memory. */
function memoryLimits(): CheckOptions {
  const mb = vscode.workspace.getConfiguration('nnspec.training').get<number>('memoryBudgetMB', DEFAULT_MEMORY_BUDGET_MB);
  return {
    memoryBudgetBytes: megabytes(Number.isFinite(mb) && mb >= 64 ? mb : DEFAULT_MEMORY_BUDGET_MB),
    machineBytes: totalmem(),
    memoryBudgetSource: 'the setting nnspec.training.memoryBudgetMB',
  };
}

function dataKey(parsed: ParsedSpec): string {
  return JSON.stringify([parsed.spec.train ?? null, parsed.spec.test ?? null]);
}

/** Data diagnostics made for `before`, moved to where the same data lines are in `after`. */
function moveToDataLines(diagnostics: Diagnostic[], before: ParsedSpec, after: ParsedSpec): Diagnostic[] {
  return diagnostics.flatMap((d) => {
    const split = (['train', 'test'] as const).find((s) => before.data[s]?.statement.line === d.range.start.line);
    const node = split && after.data[split];
    if (!node) return [];
    const token = node.sourceToken;
    const range = token
      ? { start: { line: token.line, character: token.start }, end: { line: token.line, character: token.end } }
      : node.statement.range;
    return [{ ...d, range }];
  });
}
