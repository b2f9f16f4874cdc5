// Pure helpers for the training report, the output channel and where models go (no vscode).

import * as path from 'node:path';
import { formatShapeTable, shapeTableOf, specShapes } from '../../language';
import type { DataSource, NetworkSpec } from '../../shared/model/spec';
import type { ClassificationMetrics, SavedModel } from '../../shared/model/results';
import { excerpt } from '../../trainer/errors';
import { metricText } from '../../trainer/metrics';

/** What a report shows: a saved model's results (the same fields, the same meaning) and where it came from. */
export interface TrainingReport
  extends Pick<SavedModel, 'spec' | 'costs' | 'trainAccuracy' | 'testAccuracy' | 'trainMetrics' | 'testMetrics' | 'iterations' | 'seconds'> {
  name: string;
  file: string;
  modelPath?: string;
  date: string;
}

/**
 * The report of a saved model (a run of an earlier session, or one saved by `nnspec train
 * --out`). Its `file` is the spec: as the model records it, else `specPath` (where the model was
 * found beside a spec), else the model file itself.
 */
export function reportFromModel(model: SavedModel, modelPath: string, specPath?: string): TrainingReport {
  const file = model.specPath ?? specPath ?? modelPath;
  return {
    name: model.spec.name ?? path.basename(file).replace(/\.(nnspec|model\.json|json)$/i, ''),
    file,
    spec: model.spec,
    costs: model.costs,
    trainAccuracy: model.trainAccuracy,
    testAccuracy: model.testAccuracy,
    trainMetrics: model.trainMetrics,
    testMetrics: model.testMetrics,
    iterations: model.iterations,
    seconds: model.seconds,
    modelPath,
    date: model.createdAt,
  };
}

/** `NAME.model.json` next to the spec, or in the `nnspec.training.modelLocation` folder. */
export function modelPathFor(specPath: string, setting: string, workspaceFolder?: string): string {
  const base = path.basename(specPath).replace(/\.nnspec$/i, '') + '.model.json';
  if (!setting.trim()) return path.join(path.dirname(specPath), base);
  const folder = path.isAbsolute(setting) ? setting : path.join(workspaceFolder ?? path.dirname(specPath), setting);
  return path.join(folder, base);
}

/**
 * Text from a spec or a model file (a network name, a path, a date) as plain text in Markdown:
 * Markdown punctuation backslash-escaped, `<`, `>` and `&` as entities (so neither an image,
 * a link nor raw HTML can come out of it), controls escaped, at most `max` characters, on one line.
 */
export function escapeMarkdown(text: string, max = 200): string {
  return excerpt(text, max).replace(/[&<>]|[\\`*_{}[\]()#+\-.!|~"'=:]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : `\\${c}`));
}

function dataText(d: DataSource | undefined): string {
  if (!d) return 'none';
  return d.kind === 'file' ? excerpt(d.path, 200) : `${d.generator} (m=${d.m}, seed=${d.seed})`;
}

function initText(spec: NetworkSpec): string {
  return spec.init.kind === 'random' ? `random ${spec.init.scale}` : spec.init.kind;
}

/** One line of settings, for the output channel. */
export function runSummary(spec: NetworkSpec): string {
  const layers = [spec.inputSize ?? '?', ...spec.layers.map((l) => `${l.units} ${l.activation}`)].join(' → ');
  return `[${layers}], ${spec.loss}, init ${initText(spec)}, seed ${spec.seed}, learning_rate ${spec.learningRate}, ${spec.iterations} iterations, train ${dataText(spec.train)}, test ${dataText(spec.test)}`;
}

/**
 * The report as Markdown for VS Code's preview. Every string that comes from the spec or a model
 * file (the name, paths, the date, the settings line) goes through escapeMarkdown: a network
 * named `![](https://host/beacon.png)` shows as that text and loads nothing.
 */
export function reportMarkdown(r: TrainingReport): string {
  const pct = (x: number): string => `${(x * 100).toFixed(2)} %`;
  const lines = [
    `# Training report: ${escapeMarkdown(r.name)}`,
    '',
    `Spec: ${escapeMarkdown(r.file, 500)}  `,
    `Date: ${escapeMarkdown(r.date, 64)}`,
    '',
    '| | |',
    '|---|---|',
    `| Train accuracy | ${pct(r.trainAccuracy)} |`,
    `| Test accuracy | ${r.testAccuracy === null ? '–' : pct(r.testAccuracy)} |`,
    `| Final cost | ${r.costs[r.costs.length - 1]?.[1] ?? '–'} |`,
    `| Iterations | ${r.iterations} |`,
    `| Time | ${r.seconds.toFixed(2)} s (${((r.seconds * 1000) / Math.max(1, r.iterations)).toFixed(2)} ms per iteration) |`,
    `| Model | ${r.modelPath ? escapeMarkdown(r.modelPath, 500) : 'not saved'} |`,
    '',
    ...metricsTable(r),
    '## Settings',
    '',
    escapeMarkdown(runSummary(r.spec), 5000),
    '',
    '## Shapes',
    '',
    '```',
    formatShapeTable(shapeTableOf(specShapes(r.spec))),
    '```',
    '',
    '## Cost',
    '',
    '| iteration | cost |',
    '|---:|---:|',
    ...thin(r.costs, 60).map(([i, c]) => `| ${i} | ${c.toFixed(6)} |`),
  ];
  return lines.join('\n') + '\n';
}

/**
 * The confusion matrices and precision / recall / F1 (label 1 is the positive class), train and
 * test side by side; "–" where a metric is undefined (no positive prediction, or no positive
 * label) or a set has none. Nothing when the run has no metrics (an older model, labels not 0/1).
 */
function metricsTable(r: TrainingReport): string[] {
  const sets = [
    ['Train', r.trainMetrics],
    ['Test', r.testMetrics],
  ].filter((s): s is [string, ClassificationMetrics] => !!s[1]);
  if (!sets.length) return [];
  const row = (name: string, cell: (m: ClassificationMetrics) => string): string => `| ${name} | ${sets.map(([, m]) => cell(m)).join(' | ')} |`;
  return [
    '## Metrics',
    '',
    'Prediction 1 when A[L] > 0.5; label 1 is the positive class.',
    '',
    `| | ${sets.map(([n]) => n).join(' | ')} |`,
    `|---|${sets.map(() => '---:').join('|')}|`,
    row('True positives (TP)', (m) => String(m.tp)),
    row('False positives (FP)', (m) => String(m.fp)),
    row('True negatives (TN)', (m) => String(m.tn)),
    row('False negatives (FN)', (m) => String(m.fn)),
    row('Precision TP / (TP + FP)', (m) => metricText(m.precision)),
    row('Recall TP / (TP + FN)', (m) => metricText(m.recall)),
    row('F1 2TP / (2TP + FP + FN)', (m) => metricText(m.f1)),
    '',
  ];
}

/** At most `n` rows, always keeping the first and the last. */
function thin<T>(rows: T[], n: number): T[] {
  if (rows.length <= n) return rows;
  const step = Math.ceil(rows.length / n);
  return rows.filter((_, i) => i % step === 0 || i === rows.length - 1);
}
