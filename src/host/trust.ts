// What Restricted Mode turns off, as pure decisions (no vscode import; the host asks
// vscode.workspace.isTrusted and passes it in). In an untrusted workspace the language features
// (colours, checks without data, hover, completion, formatting, the designer's drawing) work;
// reading data files, training, the live preview, opening saved models with their data and
// writing models are off. A command that needs them says so with a "Manage Workspace Trust"
// action; the live preview and the data checks are skipped quietly (with an information
// diagnostic on each data line, see dataChecks.ts).

export type TrustedAction = 'train' | 'livePreview' | 'openModel' | 'lab';

/** The button of the notification, and the command it runs. */
export const MANAGE_TRUST = 'Manage Workspace Trust';
export const MANAGE_TRUST_COMMAND = 'workbench.trust.manage';

const WHAT: Record<TrustedAction, string> = {
  train: 'Training reads data files and writes the trained model',
  livePreview: 'The live preview trains on the data files',
  openModel: 'Opening a trained model reads its data files',
  lab: 'The lab (sweeps, the step inspector, the gradient check, the pictures) reads data files',
};

/** Why `action` may not run, or undefined when it may: it runs only in a trusted workspace. */
export function refusal(action: TrustedAction, trusted: boolean): string | undefined {
  if (trusted) return undefined;
  return `nnspec: ${WHAT[action]}, so it is off in Restricted Mode. Trust this workspace to use it.`;
}
