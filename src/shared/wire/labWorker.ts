// The questions the extension host (and the CLI) ask the lab worker (src/lab/labWorker.ts): each
// is a request, answered by a LabAnswer of the same type or an error (its message is what the
// user reads). No vscode, DOM or node imports.

import type { Limits } from '../model/limits';
import type { GradientCheckResult, ImageLayout, LogisticGraph, MislabelledExample, SavedModel, StepDetail } from '../model/results';
import type { NetworkSpec } from '../model/spec';

/** Which parameters a question is about: the spec's initial ones, or given ones (a run's, a model's). */
export type LabParameters = { kind: 'initial' } | { kind: 'given'; iteration: number; parameters: SavedModel['parameters'] };

interface LabJobBase {
  spec: NetworkSpec;
  /** the folder the spec's data paths are relative to */
  specDir: string;
  /** the user's limits for reading the data */
  limits?: Limits;
  at: LabParameters;
}

export type LabJob =
  | (LabJobBase & { type: 'step' })
  | (LabJobBase & { type: 'graph'; example: number })
  | (LabJobBase & { type: 'gradcheck' })
  | (LabJobBase & { type: 'mislabelled'; limit: number });

export type LabAnswer =
  | { type: 'step'; detail: StepDetail }
  | { type: 'graph'; graph: LogisticGraph }
  | { type: 'gradcheck'; result: GradientCheckResult }
  | { type: 'mislabelled'; layout: ImageLayout; examples: MislabelledExample[]; total: number };

/** The questions and their answers: a job of each type is answered by the answer of its type. */
export type LabReplies = { [K in LabJob['type']]: Extract<LabAnswer, { type: K }> };
