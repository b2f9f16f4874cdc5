// The designer's runs: relays every event of the followed spec's runs from the run history to
// the views as it is, sends a spec's runs whole when a view loads or the designer follows
// another spec (bringing a saved model's run back after a reload), and turns the training
// buttons (play, pause, step, reset, clear) into the controller's calls.

import type * as vscode from 'vscode';
import type { ToWebview } from '../../shared/wire/designer';
import type { NetworkSpec } from '../../shared/model/spec';
import type { TrainingControllerApi } from '../training/api';

/** Decision-boundary snapshots of a designer run of 2-feature data. */
const SNAPSHOTS = { grid: 40, everyMs: 120 };

/** What the relay needs of the designer. */
export interface RelayTarget {
  /** the spec the designer follows, if it is open */
  document(): vscode.TextDocument | undefined;
  spec(document: vscode.TextDocument): NetworkSpec;
  /** posts to every view */
  broadcast(message: ToWebview): void;
  notice(message: string, severity: 'info' | 'error'): void;
}

export class RunRelay implements vscode.Disposable {
  private readonly subscriptions: { dispose(): void }[];
  /** what the views were last told of a run of another spec under way */
  private elsewhere = false;

  constructor(
    private readonly target: RelayTarget,
    private readonly controller: TrainingControllerApi,
  ) {
    this.subscriptions = [
      controller.history.onEvent((uri, event) => {
        if (uri === target.document()?.uri.toString()) target.broadcast({ type: 'run', uri, event });
      }),
      // a run of another spec starts or ends: the followed spec's buttons say so
      controller.onDidChangeState(() => this.tellElsewhere()),
    ];
  }

  /** A run of a spec other than the followed one is under way. */
  private runsElsewhere(): boolean {
    const current = this.controller.current;
    return !!current && current.uri.toString() !== this.target.document()?.uri.toString();
  }

  private tellElsewhere(): void {
    const doc = this.target.document();
    const running = this.runsElsewhere();
    if (!doc || running === this.elsewhere) return;
    this.elsewhere = running;
    this.target.broadcast({ type: 'run', uri: doc.uri.toString(), event: { kind: 'elsewhere', running } });
  }

  /** The followed spec's runs, whole (for a view that loads, or after the designer switched specs). */
  runsMessage(): ToWebview | undefined {
    const doc = this.target.document();
    if (!doc) return undefined;
    const uri = doc.uri.toString();
    this.elsewhere = this.runsElsewhere();
    return { type: 'runs', uri, list: { ...this.controller.history.list(uri), elsewhere: this.elsewhere } };
  }

  /** The designer follows another spec: its runs, and its saved model's run when it has none yet. */
  followed(): void {
    const message = this.runsMessage();
    if (message) this.target.broadcast(message);
    const doc = this.target.document();
    if (doc) void this.controller.loadSavedRun(doc.uri);
  }

  /** A run of the followed spec is under way. */
  private ownsRun(): boolean {
    const current = this.controller.current;
    return !!current && current.uri.toString() === this.target.document()?.uri.toString();
  }

  play(): void {
    if (!this.ownsRun()) return this.start(false);
    if (this.controller.paused) this.controller.resume();
  }

  pause(): void {
    if (this.ownsRun()) this.controller.pause();
  }

  step(count: number): void {
    if (!this.ownsRun()) return this.start(true, count);
    if (!this.controller.paused) this.controller.pause();
    this.controller.step(count);
  }

  /** Stops the current run (when it is the followed spec's) and forgets it. */
  reset(): void {
    const doc = this.target.document();
    if (!doc) return;
    const uri = doc.uri.toString();
    const { currentId } = this.controller.history.list(uri);
    if (this.ownsRun()) this.controller.stop();
    if (currentId !== undefined) this.controller.history.remove(uri, [currentId]);
  }

  /** Forgets the followed spec's finished runs (the one under way stays). */
  clear(): void {
    const doc = this.target.document();
    if (!doc) return;
    const uri = doc.uri.toString();
    this.controller.history.remove(
      uri,
      this.controller.history.list(uri).records.filter((r) => r.finished).map((r) => r.id),
    );
  }

  private start(paused: boolean, steps?: number): void {
    const doc = this.target.document();
    if (!doc) return;
    const snapshots = this.target.spec(doc).inputSize === 2 ? SNAPSHOTS : undefined;
    this.controller
      .start(doc, { mode: 'interactive', paused, steps, snapshots })
      .catch((err: unknown) => this.target.notice(`Training could not start: ${err instanceof Error ? err.message : String(err)}`, 'error'));
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
