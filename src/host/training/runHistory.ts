// Every spec's runs, in one place: the run records the designer shows, changed only by the run
// events of src/shared/model/runs.ts (applyRunEvent, with its one thinning rule), each told to the
// listeners as it is (the designer relays it to the webview unchanged). Runs belong to their
// spec: switching documents or hiding the designer loses nothing. Pure (no vscode import).

import { applyRunEvent, EMPTY_RUNS, type RunEvent, type RunList, type RunMode, type RunRecord } from '../../shared/model/runs';
import { layerSizes, type NetworkSpec } from '../../shared/model/spec';

export type RunListener = (uri: string, event: RunEvent) => void;

export class RunHistory {
  private readonly specs = new Map<string, { list: RunList; counter: number }>();
  private readonly listeners = new Set<RunListener>();
  private nextId = 1;

  /** Calls `listener` with every event from now on. */
  onEvent(listener: RunListener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** The runs of a spec (by its URI). */
  list(uri: string): RunList {
    return this.specs.get(uri)?.list ?? EMPTY_RUNS;
  }

  /** One run of a spec, while it is kept. */
  record(uri: string, id: number): RunRecord | undefined {
    return this.list(uri).records.find((r) => r.id === id);
  }

  /** A new run of a spec (started paused, or not): numbered, labelled, and told as `created`. */
  create(uri: string, mode: RunMode, spec: NetworkSpec, total: number, paused = false, startedAt = Date.now()): RunRecord {
    const entry = this.specs.get(uri) ?? { list: EMPTY_RUNS, counter: 0 };
    if (mode !== 'preview') entry.counter++;
    this.specs.set(uri, entry);
    const record: RunRecord = {
      id: this.nextId++,
      uri,
      mode,
      label: mode === 'preview' ? 'Preview' : mode === 'loaded' ? `Saved model ${entry.counter}` : `Run ${entry.counter}`,
      startedAt,
      total,
      sizes: layerSizes(spec),
      activations: spec.layers.map((l) => l.activation),
      iteration: 0,
      costs: [],
      paused,
      finished: false,
    };
    this.apply(uri, { kind: 'created', record });
    return record;
  }

  /** Applies an event to a spec's runs and tells the listeners. Events of runs no longer kept are dropped. */
  apply(uri: string, event: RunEvent): void {
    const entry = this.specs.get(uri);
    if (!entry) return;
    const before = entry.list;
    entry.list = applyRunEvent(before, event);
    if (entry.list === before) return;
    for (const listener of [...this.listeners]) listener(uri, event);
  }

  /** Forgets runs of a spec (reset, clear). */
  remove(uri: string, ids: number[]): void {
    if (ids.length) this.apply(uri, { kind: 'removed', ids });
  }
}
