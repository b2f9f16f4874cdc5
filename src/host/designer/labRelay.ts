// The designer's lab: relays every event of the followed spec's lab state (the sweep, the step
// inspector, the gradient check, the graph, the pictures) from the lab store to the views as it
// is, sends a spec's lab state whole when a view loads or the designer follows another spec, and
// turns the lab's buttons into the lab service's, the sweep controller's and the commands' calls.

import * as vscode from 'vscode';
import type { LabToHost, LabToWebview } from '../../shared/wire/labMessages';
import type { LabService } from '../lab/labService';
import type { LabStore } from '../lab/labStore';
import type { SweepController } from '../lab/sweeps';
import type { RelayTarget } from './runRelay';

/** The lab's parts the designer uses. */
export interface DesignerLab {
  store: LabStore;
  service: LabService;
  sweeps: SweepController;
}

/** What the lab relay needs of the designer: the run relay's target without the spec. */
export type LabRelayTarget = Omit<RelayTarget, 'spec'>;

export class LabRelay implements vscode.Disposable {
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly target: LabRelayTarget,
    private readonly lab: DesignerLab,
  ) {
    this.subscription = lab.store.onEvent((uri, event) => {
      if (uri === target.document()?.uri.toString()) target.broadcast({ type: 'lab', uri, event });
    });
  }

  /** The followed spec's lab state, whole. */
  stateMessage(): LabToWebview | undefined {
    const doc = this.target.document();
    if (!doc) return undefined;
    const uri = doc.uri.toString();
    return { type: 'labState', uri, lab: this.lab.store.state(uri) };
  }

  /** A lab message from a view (checked by isToHost); its effects come back as lab events. */
  handle(msg: LabToHost): void | Promise<void> {
    const doc = this.target.document();
    if (!doc) return;
    switch (msg.type) {
      case 'runSweep':
        if (!msg.axes) return void vscode.commands.executeCommand('nnspec.runSweep', doc.uri);
        return void this.lab.sweeps.run(doc, msg.axes);
      case 'cancelSweep':
        return this.lab.sweeps.cancel();
      case 'applySweepSettings':
        if (msg.uri !== undefined && msg.uri !== doc.uri.toString()) {
          this.target.notice('That sweep ran on another spec: open it to use its settings.', 'info');
          return;
        }
        return void this.lab.sweeps.applySettings(doc, msg.settings);
      case 'inspectStep':
        return void this.lab.service.step(doc, msg.at);
      case 'checkGradients':
        return void vscode.commands.executeCommand('nnspec.checkGradients', doc.uri, msg.at ?? 'initial');
      case 'showLogisticGraph':
        return void this.lab.service.graph(doc, msg.example, msg.at);
      case 'requestMislabelled':
        return void this.lab.service.mislabelled(doc);
      case 'pickImage':
        return void vscode.commands.executeCommand('nnspec.predictImage', doc.uri);
      case 'openToSide':
        return void vscode.commands.executeCommand('nnspec.openDesignerToSide');
      case 'decodedImage':
        // a reply: the messenger settles the request it answers
        return;
    }
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
