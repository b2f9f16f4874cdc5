// A designer document state for tests: the analysis of a spec (as the host's AnalysisService
// makes it) turned into the view model, with a number of examples `m` standing in for the data's
// when a test gives one.

import { analyzeSpec, specShapes, testExamples, trainingExamples, type ParsedSpec } from '../../../src/language';
import { toDocumentState } from '../../../src/host/designer/viewModel';
import type { DataFacts } from '../../../src/shared/model/data';
import { deriveSpecFacts } from '../../../src/shared/model/facts';
import type { DocumentState } from '../../../src/shared/wire/designer';

export function documentOf(parsed: ParsedSpec, options: { uri?: string; fileName?: string; version?: number; dataFacts?: DataFacts; m?: number } = {}): DocumentState {
  const uri = options.uri ?? `file:///work/${options.fileName ?? 'spec.nnspec'}`;
  const dataFacts = options.dataFacts ?? {};
  const analysis = analyzeSpec(parsed, dataFacts);
  const m = options.m ?? trainingExamples(parsed, dataFacts);
  const shapes = m === analysis.shapes.m ? analysis.shapes : specShapes(parsed, m);
  const facts = m === analysis.shapes.m ? analysis.facts : deriveSpecFacts(shapes, analysis.diagnostics, parsed.spec, { given: parsed.spec.test !== undefined, m: testExamples(parsed, dataFacts) });
  return toDocumentState({
    uri,
    fileName: options.fileName ?? uri.split('/').pop()!,
    version: options.version ?? 1,
    parsed,
    diagnostics: analysis.diagnostics,
    dataFacts,
    shapes,
    facts,
  });
}
