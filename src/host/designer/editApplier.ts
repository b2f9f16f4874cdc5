// The designer's edits: one `applyEdit` request = one WorkspaceEdit = one undo step, computed on
// the current text by the language core (editToTextEdits). Answered after exactly one `state`
// message: for an applied edit, the state of the edited document (its analysis is published as
// the document changes); for one that is not, the current state, so that the fields the user
// touched show the document again. One edit at a time, each against the text the previous one
// produced.

import * as vscode from 'vscode';
import { EditError, editToTextEdits, type ParsedSpec } from '../../language';
import type { ApplyEditMessage, EditResultMessage } from '../../shared/wire/designer';
import { toVsTextEdit } from '../convert';

/** What the edit applier needs of the designer. */
export interface EditTarget {
  /** the spec the designer shows, if it is still open */
  document(): vscode.TextDocument | undefined;
  parsed(document: vscode.TextDocument): ParsedSpec;
  /**
   * Posts the followed document's state to the views now, unless they have it already; with
   * `force` also then (to put back fields the user touched).
   */
  postState(force: boolean): void;
  notice(message: string, severity: 'info' | 'error'): void;
}

export class EditApplier {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly target: EditTarget) {}

  /** Applies one designer edit; resolves with the reply, after the one state that shows it. */
  handle(msg: ApplyEditMessage): Promise<EditResultMessage> {
    const result = this.queue.then(() => this.apply(msg));
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async apply(msg: ApplyEditMessage): Promise<EditResultMessage> {
    const { target } = this;
    const answer = (reason?: EditResultMessage['reason']): EditResultMessage => {
      // the edited document's analysis was published as it changed: its state goes now, if it
      // has not gone yet; an edit not applied sends the state as it is
      target.postState(reason !== undefined);
      return reason ? { type: 'editResult', applied: false, reason } : { type: 'editResult', applied: true };
    };
    const doc = target.document();
    if (!doc) return answer('failed');
    // made for the spec the designer showed before the user switched to this one
    if (msg.uri !== undefined && msg.uri !== doc.uri.toString()) return answer('stale');
    if (msg.version !== undefined && msg.version !== doc.version) {
      // typed in the editor since the designer last saw the text: the layer numbers the edit
      // names may point elsewhere now, so it is not applied
      target.notice('The spec changed in the editor meanwhile, so the designer did not apply that change. Try again.', 'info');
      return answer('stale');
    }
    let edits;
    try {
      edits = editToTextEdits(target.parsed(doc), msg.edit, { eol: doc.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n' });
    } catch (err) {
      target.notice(err instanceof EditError ? err.message : `The edit failed: ${err instanceof Error ? err.message : String(err)}`, 'error');
      return answer('failed');
    }
    // nothing changes: the state puts back the fields the user touched
    if (!edits.length) return answer('unchanged');
    const workspaceEdit = new vscode.WorkspaceEdit();
    workspaceEdit.set(doc.uri, edits.map(toVsTextEdit));
    let ok: boolean;
    try {
      ok = await vscode.workspace.applyEdit(workspaceEdit);
    } catch (err) {
      target.notice(`The edit failed: ${err instanceof Error ? err.message : String(err)}`, 'error');
      return answer('failed');
    }
    if (!ok) target.notice('The edit could not be applied (is the file read-only?).', 'error');
    return answer(ok ? undefined : 'failed');
  }
}
