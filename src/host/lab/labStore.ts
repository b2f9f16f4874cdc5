// Every spec's lab state in one place (the last sweep, the step inspector's pass, the gradient
// check, the graph, the mislabelled images, the last picture predicted), changed only by the lab
// events of src/shared/model/labState.ts (applyLabEvent), each told to the listeners as it is: the
// designer relays it to the webview unchanged, and a view that loads or follows another spec
// gets the spec's state whole. Pure (no vscode import).

import { applyLabEvent, EMPTY_LAB, type LabEvent, type LabState } from '../../shared/model/labState';

export type LabListener = (uri: string, event: LabEvent) => void;

export class LabStore {
  private readonly specs = new Map<string, LabState>();
  private readonly listeners = new Set<LabListener>();
  private nextSweepId = 1;

  onEvent(listener: LabListener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  state(uri: string): LabState {
    return this.specs.get(uri) ?? EMPTY_LAB;
  }

  /** An id for a new sweep (unique in the session). */
  sweepId(): number {
    return this.nextSweepId++;
  }

  /** Applies an event to a spec's lab state and tells the listeners (an event that changes nothing is dropped). */
  apply(uri: string, event: LabEvent): void {
    const before = this.state(uri);
    const after = applyLabEvent(before, event);
    if (after === before) return;
    this.specs.set(uri, after);
    for (const listener of [...this.listeners]) listener(uri, event);
  }
}
