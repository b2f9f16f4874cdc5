// Semantic checks over a parsed spec: dimensions against the data, the output layer against
// the loss and the labels, and the course's pitfalls. Data facts come in as summaries that the
// caller read (the extension host and the CLI read files; tests pass them directly), so this
// module stays pure.

import { dataFitProblems, outputFitProblem, type DataFacts } from '../shared/model/data';
import { deriveSpecFacts, type SpecFacts } from '../shared/model/facts';
import { formatBytes } from '../shared/model/memory';
import type { DataSource, Split } from '../shared/model/spec';
import type { LayerNode, ParsedSpec, UnreadLine } from './parser';
import { scanLine } from './scanner';
import { specMemory, specShapes, type SpecMemory, type SpecShapes } from './shapes';
import { diagnostic, lineRange, rangeOf, type Diagnostic, type QuickFix, type Range } from './types';
import { formatCount } from './text';

/** What the checks compare the training memory estimate with (see docs/nnspec.md). */
export interface CheckOptions {
  /** a warning (nnspec-memory-budget) on the output layer when a run needs more bytes than this */
  memoryBudgetBytes?: number;
  /** an error (nnspec-memory-too-large) when a run needs more bytes than the machine has */
  machineBytes?: number;
  /** where the budget is set, for the warning's message (`the setting nnspec.training.memoryBudgetMB`, `--memory-budget MB`) */
  memoryBudgetSource?: string;
}

/** Saturation warning when SCALE·√n[l−1] exceeds this for a tanh/sigmoid layer. */
export const SATURATION_LIMIT = 3;

function fix(title: string, range: Range, newText: string): QuickFix {
  return { title, edits: [{ range, newText }], preferred: true };
}

/** What one analysis of a spec knows: its diagnostics, its shapes (with its `dense` lines) and its facts. */
export interface SpecAnalysis {
  diagnostics: Diagnostic[];
  shapes: SpecShapes<LayerNode>;
  facts: SpecFacts;
}

/**
 * One analysis: the shapes computed once, the checks against the data facts with them (plus
 * `extra` diagnostics the caller made, such as the host's about reading the data), sorted by
 * position, and the facts derived from both. The extension host, the CLI and the export all
 * analyse through this.
 */
export function analyzeSpec(parsed: ParsedSpec, facts: DataFacts = {}, options: CheckOptions = {}, extra: readonly Diagnostic[] = []): SpecAnalysis {
  const m = trainingExamples(parsed, facts);
  const shapes = specShapes(parsed, m);
  const diagnostics = byPosition([...checks(parsed, facts, options, shapes), ...extra]);
  const facts_ = deriveSpecFacts(shapes, diagnostics, parsed.spec, { given: parsed.spec.test !== undefined, m: testExamples(parsed, facts) });
  return { diagnostics, shapes, facts: facts_ };
}

/** The diagnostics of the parse plus the semantic checks, sorted by position (analyzeSpec's). */
export function checkSpec(parsed: ParsedSpec, facts: DataFacts = {}, options: CheckOptions = {}): Diagnostic[] {
  return byPosition(checks(parsed, facts, options, specShapes(parsed, trainingExamples(parsed, facts))));
}

function byPosition(ds: Diagnostic[]): Diagnostic[] {
  return ds.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

function checks(parsed: ParsedSpec, facts: DataFacts, options: CheckOptions, shapes: SpecShapes<LayerNode>): Diagnostic[] {
  const out: Diagnostic[] = parsed.diagnostics.slice();
  const { spec, layers, single } = parsed;
  const firstLine = firstStatementRange(parsed);
  // the loss is not known when its line has an error (the default stands in) or a line that
  // does not parse may be meant as `loss`: the checks against the loss wait for that line
  const lossKnown = !(single.loss && hasError(parsed, single.loss.line)) && !mayBe(parsed, 'loss');
  // a line with a parse error has its one diagnostic: the layer checks leave it alone
  const clean = (layer: LayerNode): boolean => !layer.unread && !hasError(parsed, layer.statement.line);
  // n_x and the initialisation as the checks use them: from lines without errors (`input 2 x`
  // reads as 2 for the shapes, but what depends on it waits until the line is fixed)
  const inputSettled = spec.inputSize !== undefined && single.input !== undefined && !hasError(parsed, single.input.line);
  const initSettled = single.init !== undefined && !hasError(parsed, single.init.line);

  // --- structure -------------------------------------------------------------------------
  // a line that may be meant as the missing statement (`inptu 2`, `dens 1 sigmoid`, `data trian
  // flower`, an unterminated string) already has its error: do not add a second one elsewhere
  if (!single.input && !mayBe(parsed, 'input')) {
    out.push(diagnostic('nnspec-missing-input', 'The spec has no input layer: add `input N` with the number of features n_x.', firstLine));
  }
  if (layers.length === 0 && !mayBe(parsed, 'dense')) {
    out.push(diagnostic('nnspec-no-layers', 'The spec has no layers: add at least one `dense UNITS ACTIVATION` line (the last is the output layer).', firstLine));
  }

  // --- output layer against the loss and the labels ------------------------------------------
  // (unless a line after it may be meant as a later dense layer: then it is not the output)
  const output = layers[layers.length - 1];
  if (output && clean(output) && !mayBe(parsed, 'dense', (u) => u.line > output.statement.line)) {
    const bce = spec.loss === 'binary_cross_entropy';
    // the labels are one row whatever the data (the same rule as the trainer's, src/shared/model/data.ts)
    const problem = output.unitsToken && outputFitProblem(output.units, spec.loss);
    if (problem && output.unitsToken) {
      const units = rangeOf(output.unitsToken);
      out.push(
        diagnostic(problem.code, problem.message, units, {
          fixes: bce ? [fix('Make the output layer `dense 1 sigmoid`', output.statement.range, 'dense 1 sigmoid')] : [fix('Use 1 output unit', units, '1')],
        }),
      );
    }
    if (bce && lossKnown && output.activation !== undefined && output.activation !== 'sigmoid') {
      out.push(
        diagnostic(
          'nnspec-output-activation',
          `Binary cross-entropy needs a sigmoid output unit (outputs in (0, 1)); '${output.activation}' can leave that range and make log(a) undefined.`,
          rangeOf(output.activationToken!),
          { fixes: [fix('Make the output layer `dense 1 sigmoid`', output.statement.range, 'dense 1 sigmoid')] },
        ),
      );
    }
  }

  // --- data ---------------------------------------------------------------------------------
  if (!parsed.data.train && !mayBe(parsed, 'data', (u) => u.split !== 'test')) {
    out.push(diagnostic('nnspec-no-train-data', 'No training data: add `data train "FILE.csv"` or a generated set such as `data train flower`.', firstLine));
  }
  for (const split of ['train', 'test'] as const) {
    const node = parsed.data[split];
    const fact = facts[split];
    if (!node?.source || !fact) continue;
    const where = node.sourceToken ? rangeOf(node.sourceToken) : node.statement.range;
    if ('error' in fact) {
      out.push(diagnostic('nnspec-data-unreadable', fact.error, where));
      continue;
    }
    // the same rule as the trainer's (src/shared/model/data.ts); what waits for a line with an error
    // waits here too, and the output layer is checked above, with or without data
    const fit = dataFitProblems({ ...spec, inputSize: inputSettled ? spec.inputSize : undefined }, split, fact);
    for (const problem of fit) {
      if (problem.code === 'nnspec-input-mismatch' && single.input) {
        const inputToken = rangeOf(single.input.args[0]);
        out.push(diagnostic(problem.code, problem.message, inputToken, { fixes: [fix(`Set input to ${fact.features}`, inputToken, String(fact.features))] }));
      } else if (problem.code === 'nnspec-labels-not-binary' && lossKnown) {
        out.push(diagnostic(problem.code, problem.message, where));
      } else if (problem.code === 'nnspec-data-unreadable') {
        out.push(diagnostic(problem.code, problem.message, where));
      }
    }
  }

  // --- pitfalls -----------------------------------------------------------------------------
  const hidden = layers.slice(0, -1);
  if (spec.init.kind === 'zeros' && hidden.length > 0 && initSettled && single.init) {
    out.push(
      diagnostic(
        'nnspec-zeros-init',
        'With `init zeros` every hidden unit of a layer computes the same function and gets the same gradient, so they stay identical (symmetry is never broken). Use random initialisation.',
        single.init.range,
        { fixes: [fix('Use `init random 0.01`', single.init.range, 'init random 0.01')] },
      ),
    );
  }
  for (const layer of hidden) {
    if (!clean(layer)) continue;
    if (layer.activation === 'sigmoid' && layer.activationToken) {
      out.push(
        diagnostic(
          'nnspec-sigmoid-hidden',
          `Sigmoid in hidden layer ${layer.index}: tanh (centred on zero) or ReLU usually learn faster; keep sigmoid for the output unit.`,
          rangeOf(layer.activationToken),
          {
            fixes: [
              { title: 'Use relu', edits: [{ range: rangeOf(layer.activationToken), newText: 'relu' }] },
              { title: 'Use tanh', edits: [{ range: rangeOf(layer.activationToken), newText: 'tanh' }] },
            ],
          },
        ),
      );
    }
    if (layer.activation === 'linear' && layer.activationToken) {
      out.push(
        diagnostic(
          'nnspec-linear-hidden',
          `Hidden layer ${layer.index} is linear: a composition of linear layers is linear, so this layer adds no power to the model. Use relu or tanh.`,
          rangeOf(layer.activationToken),
          { fixes: [{ title: 'Use relu', edits: [{ range: rangeOf(layer.activationToken), newText: 'relu' }], preferred: true }] },
        ),
      );
    }
  }
  if (spec.init.kind === 'random' && initSettled && single.init && inputSettled) {
    const saturating = saturatingLayer(parsed, spec.init.scale);
    if (saturating) {
      const { layer, z } = saturating;
      out.push(
        diagnostic(
          'nnspec-saturation',
          `With random scale ${spec.init.scale}, |Z[${layer.index}]| is about ${z.toPrecision(2)} at the start, deep in the flat part of ${layer.activation}: gradients nearly vanish and learning stalls. Use a smaller scale (0.01) or \`init xavier\`.`,
          single.init.range,
          { fixes: [fix('Use `init xavier`', single.init.range, 'init xavier')] },
        ),
      );
    }
  }
  const m = trainingExamples(parsed, facts);
  // n_x of X itself when the data was read, else the spec's input size
  const trainFact = facts.train;
  const nx = trainFact && !('error' in trainFact) ? trainFact.features : spec.inputSize;
  if (m !== undefined && nx !== undefined && inputSettled && shapes.totalParams !== undefined) {
    // the training set holds n_x·m numbers (the entries of X): more parameters than that and
    // the network can store the training set instead of learning from it
    const params = shapes.totalParams;
    const numbers = nx * m;
    if (params > numbers) {
      out.push(
        diagnostic(
          'nnspec-many-parameters',
          `${formatCount(params)} parameters, more than the ${formatCount(numbers)} numbers in the training set (X is (${nx}, ${m})): the network can memorise the training set. Watch the test accuracy for overfitting.`,
          rangeOf(layers[0].statement.keyword),
        ),
      );
    }
  }

  // --- memory -------------------------------------------------------------------------------
  if (output && clean(output) && inputSettled && (options.memoryBudgetBytes !== undefined || options.machineBytes !== undefined)) {
    const memory = specMemory(parsed, m, testExamples(parsed, facts), shapes);
    const d = memory && memoryDiagnostic(memory, options);
    if (d) out.push(diagnostic(d.code, d.message, output.statement.range));
  }

  return out;
}

/**
 * The memory warning or error for an estimate: an error above the machine's memory, a warning
 * above the budget. With m unknown, only the parameters and gradients (a lower bound) count.
 */
function memoryDiagnostic(memory: SpecMemory, options: CheckOptions): Pick<Diagnostic, 'code' | 'message'> | undefined {
  const e = memory.estimate;
  const needs =
    memory.m === undefined
      ? `at least ${formatBytes(e.total)} of memory for its parameters (${formatBytes(e.parameters)}) and gradients (${formatBytes(e.gradients)}), plus ${formatBytes(memory.perExample)} per training example`
      : `about ${formatBytes(e.total)} of memory (parameters ${formatBytes(e.parameters)}, gradients ${formatBytes(e.gradients)}, caches ${formatBytes(e.caches)} and data ${formatBytes(e.data)} for m = ${formatCount(memory.m)})`;
  if (options.machineBytes !== undefined && e.total > options.machineBytes) {
    return {
      code: 'nnspec-memory-too-large',
      message: `Training this network needs ${needs}, more than this machine has (${formatBytes(options.machineBytes)}). Use fewer units or fewer examples.`,
    };
  }
  if (options.memoryBudgetBytes !== undefined && e.total > options.memoryBudgetBytes) {
    return {
      code: 'nnspec-memory-budget',
      message: `Training this network needs ${needs}, more than the memory budget of ${formatBytes(options.memoryBudgetBytes)}${options.memoryBudgetSource ? ` (${options.memoryBudgetSource})` : ''}. Use fewer units or fewer examples, or raise the budget.`,
    };
  }
  return undefined;
}

/**
 * Whether a line the parser could not read may be meant as `statement` (see UnreadLine): it is
 * meant as that statement, or nothing tells what it is meant as.
 */
function mayBe(parsed: ParsedSpec, statement: string, where: (line: UnreadLine) => boolean = () => true): boolean {
  return parsed.unread.some((u) => (u.meant === statement || u.meant === undefined) && where(u));
}

/** Whether the parse reported an error on `line` (the lines with errors, computed once per parse). */
function hasError(parsed: ParsedSpec, line: number): boolean {
  let lines = errorLines.get(parsed);
  if (!lines) {
    lines = new Set();
    for (const d of parsed.diagnostics) if (d.severity === 'error') lines.add(d.range.start.line);
    errorLines.set(parsed, lines);
  }
  return lines.has(line);
}

const errorLines = new WeakMap<ParsedSpec, Set<number>>();

/** The first tanh/sigmoid layer whose initial |Z| would saturate: SCALE·√n[l−1] (assuming unit-size inputs). */
function saturatingLayer(parsed: ParsedSpec, scale: number): { layer: LayerNode; z: number } | undefined {
  let previous = parsed.spec.inputSize ?? 0;
  for (const layer of parsed.layers) {
    if (layer.units === undefined) return undefined;
    const z = scale * Math.sqrt(previous);
    if ((layer.activation === 'tanh' || layer.activation === 'sigmoid') && z > SATURATION_LIMIT) return { layer, z };
    previous = layer.units;
  }
  return undefined;
}

export function trainingExamples(parsed: ParsedSpec, facts: DataFacts = {}): number | undefined {
  return examples(parsed.spec.train, facts.train);
}

/** The number of test examples, when known (from the data read, or a generated set's m=). */
export function testExamples(parsed: ParsedSpec, facts: DataFacts = {}): number | undefined {
  return examples(parsed.spec.test, facts.test);
}

function examples(source: DataSource | undefined, fact: DataFacts[Split]): number | undefined {
  if (!source) return undefined;
  if (fact && !('error' in fact)) return fact.m;
  if (source.kind === 'generated') return source.m;
  return undefined;
}

/**
 * Where the file-wide diagnostics go: the first word of the first line with a statement on it,
 * counting lines that do not parse (so that a bad first line does not move them).
 */
function firstStatementRange(parsed: ParsedSpec): Range {
  let line = parsed.statements[0]?.line;
  for (const u of parsed.unread) if (line === undefined || u.line < line) line = u.line;
  if (line === undefined) return lineRange(0, 0, parsed.lines[0]?.length ?? 0);
  const first = scanLine(parsed.lines[line], line).tokens[0];
  return first ? rangeOf(first) : lineRange(line, 0, parsed.lines[line].length);
}
