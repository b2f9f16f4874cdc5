// The data half of a spec's analysis, as a pure function (no vscode import): which data sets
// are read for the checks, and the diagnostics the host adds about them. The reader (the data
// worker, through DataClient) and the trust decision come in as arguments, so the tests drive
// it directly.
//
// - Restricted Mode: no data file is read; an information diagnostic on each data line says so.
// - A file outside every workspace folder (its real path, symlinks resolved): a warning.
// - A file over nnspec.data.maxFileMB: a warning (not read, not checked); over the memory
//   budget: an error (training would refuse it too); abandoned (too slow, or the worker ran out
//   of memory): a warning. Any other failure is the checks' `nnspec-data-unreadable` error.
// - Generated sets need no file: their summary is known from the spec, in any mode.

import type { Diagnostic, ParsedSpec } from '../language';
import { generatedSummary, type DataFacts } from '../shared/model/data';
import { diagnostic, rangeOf } from '../language';
import type { FileDataSource, Split } from '../shared/model/spec';
import type { InspectAnswer } from '../trainer/dataClient';

export interface DataCheckPolicy {
  /** the workspace is trusted (false in Restricted Mode) */
  trusted: boolean;
}

/** Reads one data file's summary (undefined: the document has no file system folder, e.g. untitled). */
export type AskData = ((source: FileDataSource) => Promise<InspectAnswer>) | undefined;

export interface DataCheckResult {
  facts: DataFacts;
  /** the host's own diagnostics about the data lines (beside checkSpec's) */
  diagnostics: Diagnostic[];
}

export const RESTRICTED_DATA_MESSAGE =
  'Restricted Mode: nnspec does not read data files in an untrusted workspace, so the checks against the data (features, labels) are skipped. Trust the workspace to check and train.';

export async function dataChecks(parsed: ParsedSpec, policy: DataCheckPolicy, ask: AskData): Promise<DataCheckResult> {
  const facts: DataFacts = {};
  const diagnostics: Diagnostic[] = [];
  await Promise.all(
    (['train', 'test'] as Split[]).map(async (split) => {
      const node = parsed.data[split];
      const source = node?.source;
      if (!node || !source) return;
      if (source.kind === 'generated') {
        facts[split] = generatedSummary(source.m);
        return;
      }
      const range = node.sourceToken ? rangeOf(node.sourceToken) : node.statement.range;
      if (!policy.trusted) {
        diagnostics.push(diagnostic('nnspec-data-restricted', RESTRICTED_DATA_MESSAGE, range));
        return;
      }
      if (!ask) return;
      const answer = await ask(source);
      if (answer.outside && answer.realPath) {
        diagnostics.push(
          diagnostic(
            'nnspec-data-outside-workspace',
            `The ${split} data '${source.path}' is outside the workspace folder${answer.realPath !== source.path ? ` (it is ${answer.realPath})` : ''}: nnspec reads it, but check that you meant it.`,
            range,
          ),
        );
      }
      if (answer.error === undefined) {
        facts[split] = answer.summary;
        return;
      }
      if (answer.kind === 'data' && answer.refusal === 'file-too-large') {
        diagnostics.push(diagnostic('nnspec-data-too-large', `${answer.error} The checks against it are skipped.`, range));
      } else if (answer.kind === 'data' && answer.refusal === 'over-budget') {
        diagnostics.push(diagnostic('nnspec-data-over-budget', answer.error, range));
      } else if (answer.kind === 'timeout' || answer.kind === 'worker') {
        diagnostics.push(diagnostic('nnspec-data-not-checked', answer.error, range));
      } else {
        facts[split] = { error: answer.error };
      }
    }),
  );
  return { facts, diagnostics };
}
