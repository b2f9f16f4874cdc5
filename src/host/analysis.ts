// Keeps every open `.nnspec` document analysed: one analysis per (document version, data facts),
// published once. A change is parsed and checked at once (syntax errors show as the user types),
// with the data facts of the previous version while the data lines name the same sources; after
// a pause in typing the data is read (off this thread, by the data worker, which caches it), and
// only when what it says differs is the same parse checked again and published again. Every view
// (the Problems panel, inlay hints, code lenses, the designer, the live preview) renders from the
// published analysis.

import { totalmem } from 'node:os';
import * as vscode from 'vscode';
import { analyzeSpec, parseSpec, type CheckOptions, type Diagnostic, type ParsedSpec } from '../language';
import type { LayerNode } from '../language/parser';
import type { DataFacts } from '../shared/model/data';
import type { SpecFacts } from '../shared/model/facts';
import type { SpecShapes } from '../shared/model/shapes';
import { toVsDiagnostic } from './convert';
import { settingsLimits } from './dataAccess';
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
  /** what the data worker read of the data sets */
  dataFacts: DataFacts;
  /** the host's diagnostics about the data lines (Restricted Mode, outside the workspace, too large) */
  dataDiagnostics: Diagnostic[];
  diagnostics: Diagnostic[];
  /** the shapes, computed once per analysis (with the `dense` lines, for the hints and the designer) */
  shapes: SpecShapes<LayerNode>;
  /** what the analysis knows of the spec: m, the shapes, the memory, whether it can be trained */
  facts: SpecFacts;
  /** the data sources the data facts were read for */
  factsKey: string;
  /** the data facts were read for this version's data lines (not carried over from an earlier version) */
  factsRead: boolean;
  /** the limits the memory checks used */
  limitsKey: string;
}

export class AnalysisService implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('nnspec');
  private readonly analyses = new Map<string, Analysis>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly emitter = new vscode.EventEmitter<Analysis>();
  private readonly disposables: vscode.Disposable[] = [];
  /** fires once per published analysis: a new version, or new data facts or limits for it */
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
    );
    // data files may change on disk (re-exported CSV): read them again when any is saved/created
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.{csv,h5,hdf5}');
    const changed = (): void => {
      this.dataFilesChanged?.();
      this.refreshAll();
    };
    this.disposables.push(watcher, watcher.onDidChange(changed), watcher.onDidCreate(changed), watcher.onDidDelete(changed));
    vscode.workspace.textDocuments.forEach((d) => this.schedule(d));
  }

  /** Called when a data file changes on disk, before the documents are analysed again. */
  dataFilesChanged: (() => void) | undefined;

  /**
   * Reads the data of every open spec again and checks it with the current limits (trust
   * granted, limits changed, data changed); what changes is published, what is shown stays
   * until then (no flicker).
   */
  refreshAll(): void {
    for (const a of this.analyses.values()) a.factsRead = false;
    for (const d of vscode.workspace.textDocuments) if (AnalysisService.isSpec(d)) this.readDataLater(d);
  }

  static isSpec(document: vscode.TextDocument): boolean {
    return document.languageId === LANGUAGE_ID;
  }

  /** The analysis of the document's current version (made and published now if there is none yet). */
  get(document: vscode.TextDocument): Analysis {
    const key = document.uri.toString();
    const cached = this.analyses.get(key);
    if (cached && cached.version === document.version) return cached;
    const parsed = parseSpec(document.getText());
    // keep the data facts while typing, as long as the data lines name the same sources (the
    // host's data diagnostics move with their data lines)
    const factsKey = dataKey(parsed);
    const keep = cached && cached.factsKey === factsKey;
    const dataFacts = keep ? cached.dataFacts : {};
    const dataDiagnostics = keep ? moveToDataLines(cached.dataDiagnostics, cached.parsed, parsed) : [];
    return this.publish(document, parsed, dataFacts, dataDiagnostics, false);
  }

  /**
   * The analysis with the data read for this version (now, unless it was already): for training,
   * the shape table and the export. Publishes only when the data says something new.
   */
  async refresh(document: vscode.TextDocument): Promise<Analysis> {
    const current = this.get(document);
    if (current.factsRead || !this.data) return current;
    return this.readData(document);
  }

  /**
   * The analysis with this version's data, if it can be read within `waitMs` (a hover: the user
   * has paused); otherwise, or when cancelled, the analysis as it stands. The read goes on and
   * publishes as usual.
   */
  async withData(document: vscode.TextDocument, waitMs: number, token?: vscode.CancellationToken): Promise<Analysis> {
    const current = this.get(document);
    if (current.factsRead || !this.data) return current;
    let timer: NodeJS.Timeout | undefined;
    let cancelled: vscode.Disposable | undefined;
    const giveUp = new Promise<Analysis>((resolve) => {
      timer = setTimeout(() => resolve(this.get(document)), waitMs);
      cancelled = token?.onCancellationRequested(() => resolve(this.get(document)));
    });
    const read = this.refresh(document).catch(() => this.get(document));
    try {
      return await Promise.race([read, giveUp]);
    } finally {
      clearTimeout(timer);
      cancelled?.dispose();
    }
  }

  private async readData(document: vscode.TextDocument): Promise<Analysis> {
    const current = this.get(document);
    const data = this.data ? await this.data.check(document, current.parsed) : { facts: {}, diagnostics: [] };
    const now = this.get(document);
    // typed again meanwhile: that version reads its own data
    if (document.isClosed || now.version !== current.version) return now;
    // the same data, the same host diagnostics about it, the same limits: the same analysis
    // (the checks are a function of these and the parse), nothing to check or publish again
    if (same(data.facts, now.dataFacts) && same(data.diagnostics, now.dataDiagnostics) && now.limitsKey === limitsKey(memoryLimits())) {
      now.factsRead = true;
      return now;
    }
    return this.publish(document, now.parsed, data.facts, data.diagnostics, true);
  }

  private publish(
    document: vscode.TextDocument,
    parsed: ParsedSpec,
    dataFacts: DataFacts,
    dataDiagnostics: Diagnostic[],
    factsRead: boolean,
  ): Analysis {
    const limits = memoryLimits();
    const { diagnostics, shapes, facts } = analyzeSpec(parsed, dataFacts, limits, dataDiagnostics);
    const analysis: Analysis = {
      uri: document.uri,
      version: document.version,
      parsed,
      dataFacts,
      dataDiagnostics,
      diagnostics,
      shapes,
      facts,
      factsKey: dataKey(parsed),
      factsRead,
      limitsKey: limitsKey(limits),
    };
    this.analyses.set(document.uri.toString(), analysis);
    this.collection.set(document.uri, diagnostics.map(toVsDiagnostic));
    this.emitter.fire(analysis);
    return analysis;
  }

  /** A change: the new version at once, its data after a pause in typing. */
  private schedule(document: vscode.TextDocument): void {
    if (!AnalysisService.isSpec(document)) return;
    this.get(document);
    this.readDataLater(document);
  }

  private readDataLater(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        if (document.isClosed) return;
        void this.readData(document).catch((err) => console.error('nnspec: analysis failed', err));
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
  return {
    memoryBudgetBytes: settingsLimits().memoryBudgetBytes,
    machineBytes: totalmem(),
    memoryBudgetSource: 'the setting nnspec.training.memoryBudgetMB',
  };
}

function limitsKey(limits: CheckOptions): string {
  return JSON.stringify([limits.memoryBudgetBytes, limits.machineBytes]);
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
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
