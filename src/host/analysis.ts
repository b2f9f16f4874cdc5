// Keeps every open `.nnspec` document analysed: parse at once on each change (so syntax
// errors show as the user types), then the data-dependent checks once the data summaries are
// read (debounced, cached by the reader). Publishes to the Problems panel and to listeners
// (the designer, code lenses, inlay hints).

import { totalmem } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DEFAULT_MEMORY_BUDGET_MB, megabytes } from '../shared/memory';
import {
  checkSpec,
  type CheckOptions,
  collectDataFacts,
  parseSpec,
  trainingExamples,
  type DataFacts,
  type Diagnostic,
  type InspectData,
  type ParsedSpec,
} from '../language';
import { toVsDiagnostic } from './convert';

export const LANGUAGE_ID = 'nnspec';

export interface Analysis {
  uri: vscode.Uri;
  version: number;
  parsed: ParsedSpec;
  facts: DataFacts;
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
    private readonly inspect: InspectData | undefined,
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
    const refreshAll = (): void => vscode.workspace.textDocuments.forEach((d) => this.schedule(d));
    this.disposables.push(watcher, watcher.onDidChange(refreshAll), watcher.onDidCreate(refreshAll), watcher.onDidDelete(refreshAll));
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('nnspec.training.memoryBudgetMB')) refreshAll();
      }),
    );
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
    const dir = path.dirname(document.uri.fsPath);
    const facts = this.inspect && document.uri.scheme === 'file' ? await collectDataFacts(quick.parsed, dir, this.inspect) : {};
    if (document.isClosed || document.version !== quick.version) return this.get(document);
    return this.publish(document, quick.parsed, facts);
  }

  private analyseSync(document: vscode.TextDocument, previous: Analysis | undefined): Analysis {
    const parsed = parseSpec(document.getText());
    // keep the data facts while typing, as long as the data lines name the same sources
    const facts = previous && previous.factsKey === dataKey(parsed) ? previous.facts : {};
    return this.publish(document, parsed, facts);
  }

  private publish(document: vscode.TextDocument, parsed: ParsedSpec, facts: DataFacts): Analysis {
    const diagnostics = checkSpec(parsed, facts, memoryLimits());
    const analysis: Analysis = {
      uri: document.uri,
      version: document.version,
      parsed,
      facts,
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
