import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import {
  completionsAt,
  documentSymbols,
  formatEdits,
  formatSpecShapes,
  formatText,
  hoverAt,
  layerHints,
  formatShapeTable,
  parseSpec,
  shapeTableOf,
  specShapes,
} from '../../../src/language';

const CAT = `network "cat"
input 12288
dense 20 relu
dense 7 relu
dense 1 sigmoid
loss binary_cross_entropy
`;

describe('hover', () => {
  const parsed = parseSpec(CAT);

  it('shows the matrices of a dense layer with m from the data', () => {
    const h = hoverAt(parsed, { line: 3, character: 2 }, 209);
    assert.ok(h);
    assert.deepEqual(h.range, { start: { line: 3, character: 0 }, end: { line: 3, character: 12 } });
    for (const expected of [
      '**Layer 2** of 3 (hidden layer): 7 units, relu',
      '| W[2] | (7, 20) |',
      '| b[2] | (7, 1) |',
      '| Z[2], A[2] | (7, 209) |',
      '| dW[2] | (7, 20) |',
      '| db[2] | (7, 1) |',
      'Parameters: 7·20 + 7 = **147**',
      'Z[2] = W[2] A[1] + b[2]',
      'A[2] = relu(Z[2])',
    ]) {
      assert.ok(h.markdown.includes(expected), `missing ${expected} in\n${h.markdown}`);
    }
  });

  it('uses the input size for layer 1 and says m when unknown', () => {
    const h = hoverAt(parsed, { line: 2, character: 0 });
    assert.ok(h?.markdown.includes('| W[1] | (20, 12288) |'));
    assert.ok(h?.markdown.includes('| Z[1], A[1] | (20, m) |'));
    assert.ok(h?.markdown.includes('Parameters: 20·12288 + 20 = **245,780**'));
    assert.ok(h?.markdown.includes('(output layer)') === false);
    const out = hoverAt(parsed, { line: 4, character: 3 });
    assert.ok(out?.markdown.includes('**Layer 3** of 3 (output layer): 1 unit, sigmoid'));
  });

  it('shows X on the input line', () => {
    const h = hoverAt(parsed, { line: 1, character: 8 }, 209);
    assert.ok(h?.markdown.includes('n[0] = n_x = 12288'));
    assert.ok(h?.markdown.includes('X = A[0] is (12288, 209)'));
  });

  it('shows the formula and derivative of an activation', () => {
    const h = hoverAt(parsed, { line: 2, character: 10 });
    assert.deepEqual(h?.range, { start: { line: 2, character: 9 }, end: { line: 2, character: 13 } });
    assert.ok(h?.markdown.includes('relu(z) = max(0, z)'));
    assert.ok(h?.markdown.includes("relu'(z) = 1 if z > 0, else 0"));
    const s = hoverAt(parsed, { line: 4, character: 9 });
    assert.ok(s?.markdown.includes("σ'(z) = σ(z)(1 − σ(z))"));
  });

  it('shows the cost formula on the loss line', () => {
    const h = hoverAt(parsed, { line: 5, character: 2 });
    assert.ok(h?.markdown.includes('J = −(1/m) Σᵢ [ y⁽ⁱ⁾ log a⁽ⁱ⁾ + (1 − y⁽ⁱ⁾) log(1 − a⁽ⁱ⁾) ]'));
  });

  it('shows no formula on a loss line whose loss is unknown', () => {
    const p = parseSpec('input 2\ndense 1 sigmoid\nloss msee\n');
    for (const character of [0, 2, 4, 6, 8]) {
      const h = hoverAt(p, { line: 2, character });
      assert.ok(!h?.markdown.includes('J ='), `formula shown at ${character}: ${h?.markdown}`);
      assert.ok(!h?.markdown.includes('dA[L]'), `formula shown at ${character}`);
    }
    // the line's own loss, even when another loss line counts
    const two = parseSpec('loss mse\nloss binary_cross_entropy\n');
    assert.ok(hoverAt(two, { line: 0, character: 1 })?.markdown.includes('J = (1/(2m))'));
  });

  it('shows the learning rate of the line, not the default, and nothing made up for a bad value', () => {
    const bad = hoverAt(parseSpec('learning_rate fast\n'), { line: 0, character: 2 });
    assert.ok(!bad?.markdown.includes('α = 0.0075'), bad?.markdown);
    assert.ok(hoverAt(parseSpec('learning_rate 0.5\n'), { line: 0, character: 2 })?.markdown.includes('α = 0.5'));
  });

  it('returns nothing on blank space or comments', () => {
    const p = parseSpec('input 2\n\n# comment\n');
    assert.equal(hoverAt(p, { line: 1, character: 0 }), undefined);
    assert.equal(hoverAt(p, { line: 2, character: 3 }), undefined);
  });
});

describe('shapes', () => {
  it('gives every layer its W, b, Z shapes and parameter count', () => {
    const table = shapeTableOf(specShapes(parseSpec(CAT).spec, 209));
    assert.deepEqual(table, {
      m: 209,
      input: 12288,
      layers: [
        { layer: 1, units: 20, activation: 'relu', W: [20, 12288], b: [20, 1], Z: [20, 209], params: 245780 },
        { layer: 2, units: 7, activation: 'relu', W: [7, 20], b: [7, 1], Z: [7, 209], params: 147 },
        { layer: 3, units: 1, activation: 'sigmoid', W: [1, 7], b: [1, 1], Z: [1, 209], params: 8 },
      ],
      total_params: 245935,
    });
    const unknown = shapeTableOf(specShapes(parseSpec(CAT).spec));
    assert.equal(unknown.m, null);
    assert.deepEqual(unknown.layers[0].Z, [20, 'm']);
  });

  it('numbers the layers of a parsed spec as in the file when one is malformed', () => {
    const shapes = specShapes(parseSpec('input 2\ndense 4 tanh\ndense x tanh\ndense 1 sigmoid\n'), 400);
    assert.deepEqual(
      shapes.layers.map((l) => [l.layer, l.units, l.previous, l.shape?.W]),
      [
        [1, 4, 2, [4, 2]],
        [2, undefined, 4, undefined],
        [3, 1, undefined, undefined],
      ],
    );
    assert.equal(shapes.complete, false);
    assert.deepEqual(shapeTableOf(shapes), {
      m: 400,
      input: 2,
      layers: [{ layer: 1, units: 4, activation: 'tanh', W: [4, 2], b: [4, 1], Z: [4, 400], params: 12 }],
      total_params: 12,
    });
    assert.equal(
      formatSpecShapes(shapes),
      [
        'layer  units  activation  W       b       Z, A      params',
        '0 (X)  2                                  (2, 400)',
        '1      4      tanh        (4, 2)  (4, 1)  (4, 400)  12',
        '2      ?      tanh        (?, 4)  (?, 1)  (?, 400)  ?',
        '3      1      sigmoid     (1, ?)  (1, 1)  (1, 400)  ?',
        'total parameters: ?, m = 400',
      ].join('\n'),
    );
  });

  it('without an input line only layer 1 is unknown; an unknown activation keeps the shapes', () => {
    const noInput = specShapes(parseSpec('dense 4 tanh\ndense 1 sigmoid\n'));
    assert.deepEqual(noInput.layers.map((l) => l.shape?.W), [undefined, [1, 4]]);
    assert.deepEqual(shapeTableOf(noInput).layers.map((l) => [l.layer, l.W]), [[2, [1, 4]]]);
    assert.equal(shapeTableOf(noInput).input, null);
    const badActivation = specShapes(parseSpec('input 2\ndense 4 tahn\ndense 1 sigmoid\n'));
    assert.equal(badActivation.complete, false);
    assert.deepEqual(
      shapeTableOf(badActivation).layers.map((l) => [l.layer, l.activation, l.W]),
      [
        [1, null, [4, 2]],
        [2, 'sigmoid', [1, 4]],
      ],
    );
    assert.equal(specShapes(parseSpec(CAT)).complete, true);
    assert.deepEqual(shapeTableOf(specShapes(parseSpec(CAT), 209)), shapeTableOf(specShapes(parseSpec(CAT).spec, 209)));
  });

  it('inlay hints: every layer whose W is known gets one, at the end of its statement', () => {
    const p = parseSpec('input 2\ndense 4 tanh   # hidden\ndense x tanh\ndense 1 sigmoid\ndense 3 tahn\n');
    // layer 2 does not parse, so W of layers 2 and 3 is unknown; layer 4's activation is
    // misspelt but its W (3, 1) is known
    assert.deepEqual(layerHints(p).map((h) => [h.line, h.character, h.label]), [
      [1, 12, 'W(4, 2) · 12 params'],
      [4, 12, 'W(3, 1) · 6 params'],
    ]);
    const q = parseSpec('input 2\ndense 4 tahn\ndense 1 sigmoid\n');
    assert.deepEqual(layerHints(q).map((h) => [h.line, h.label]), [
      [1, 'W(4, 2) · 12 params'],
      [2, 'W(1, 4) · 5 params'],
    ]);
    assert.equal(layerHints(q)[1].tooltip, 'W[2] is (n[2], n[1]); b[2] is (1, 1)');
    assert.deepEqual(layerHints(parseSpec('dense 4 tanh\ndense 1 sigmoid\n')).map((h) => [h.line, h.label]), [[1, 'W(1, 4) · 5 params']]);
  });

  it('prints an aligned table', () => {
    const text = formatShapeTable(shapeTableOf(specShapes(parseSpec('input 2\ndense 4 tanh\ndense 1 sigmoid\n').spec, 400)));
    assert.equal(
      text,
      [
        'layer  units  activation  W       b       Z, A      params',
        '0 (X)  2                                  (2, 400)',
        '1      4      tanh        (4, 2)  (4, 1)  (4, 400)  12',
        '2      1      sigmoid     (1, 4)  (1, 1)  (1, 400)  5',
        'total parameters: 17, m = 400',
      ].join('\n'),
    );
  });
});

describe('completion', () => {
  const labels = (line: string, character = line.length) => completionsAt(line, { line: 0, character }).map((c) => c.label);

  it('offers statements at the start of a line', () => {
    assert.deepEqual(labels(''), ['network', 'input', 'dense', 'loss', 'data', 'init', 'seed', 'learning_rate', 'iterations', 'print_every']);
    assert.ok(labels('de').includes('dense'));
  });

  it('offers activations after dense UNITS', () => {
    assert.deepEqual(labels('dense 4 '), ['sigmoid', 'tanh', 'relu', 'leaky_relu', 'linear']);
    assert.deepEqual(labels('dense 4 re'), ['sigmoid', 'tanh', 'relu', 'leaky_relu', 'linear']);
    assert.deepEqual(labels('dense '), []);
  });

  it('offers losses, init schemes, splits, generators and data keys', () => {
    assert.deepEqual(labels('loss '), ['binary_cross_entropy', 'mse']);
    assert.deepEqual(labels('init '), ['random', 'xavier', 'he', 'zeros']);
    assert.deepEqual(labels('data '), ['train', 'test']);
    assert.deepEqual(labels('data train '), ['flower', 'circles', 'xor', 'moons', 'spiral', 'gaussian']);
    assert.deepEqual(labels('data train "a.h5" '), ['x=', 'y=', 'scale=']);
    assert.deepEqual(labels('data train "a.h5" x=set_x '), ['y=', 'scale=']);
    assert.deepEqual(labels('data train flower '), ['scale=', 'm=', 'noise=', 'seed=']);
  });

  it('offers the keys of the file format: x= and y= for HDF5, label= for CSV, scale= for both', () => {
    assert.deepEqual(labels('data train "a.hdf5" '), ['x=', 'y=', 'scale=']);
    assert.deepEqual(labels('data train "A.H5" s'), ['x=', 'y=', 'scale=']);
    assert.deepEqual(labels('data train "a.csv" '), ['label=', 'scale=']);
    assert.deepEqual(labels('data test "a.csv" label=y '), ['scale=']);
  });

  it('offers nothing in the value of a key=value pair', () => {
    assert.deepEqual(labels('data train "a.h5" x='), []);
    assert.deepEqual(labels('data train "a.h5" x=train_se'), []);
    assert.deepEqual(labels('data train flower m='), []);
    // the cursor right after '=' in the middle of a line
    const line = 'data train "a.h5" x=abc y=def';
    assert.deepEqual(labels(line, line.indexOf('y=') + 2), []);
    // typing a key is still completed
    assert.deepEqual(labels('data train "a.h5" x=a y'), ['y=', 'scale=']);
  });

  it('offers nothing inside a comment, and a # inside a quoted path is no comment', () => {
    assert.deepEqual(labels('dense 4 relu # '), []);
    assert.deepEqual(labels('data train "a.csv" # x'), []);
    assert.deepEqual(labels('data train "a#b.csv" '), ['label=', 'scale=']);
    assert.deepEqual(labels('data train "x#1.h5" x=a '), ['y=', 'scale=']);
  });

  it('offers nothing inside an unterminated string (the host completes file paths there)', () => {
    assert.deepEqual(labels('data train "fl'), []);
    assert.deepEqual(labels('data train "a#'), []);
  });
});

describe('document symbols', () => {
  it('lists the network, the input, every layer and the settings in order', () => {
    const symbols = documentSymbols(parseSpec(CAT + 'data train flower\nlearning_rate 0.1\n'));
    assert.deepEqual(
      symbols.map((s) => [s.kind, s.name, s.detail]),
      [
        ['network', 'cat', 'network'],
        ['input', 'input 12288', 'X (12288, m)'],
        ['layer', 'Layer 1: dense 20 relu', 'hidden, W (20, 12288)'],
        ['layer', 'Layer 2: dense 7 relu', 'hidden, W (7, 20)'],
        ['layer', 'Layer 3: dense 1 sigmoid', 'output, W (1, 7)'],
        ['loss', 'loss binary_cross_entropy', 'cost'],
        ['data', 'data train', 'flower'],
        ['setting', 'learning_rate', '0.1'],
      ],
    );
  });
});

describe('formatter', () => {
  it('aligns runs of the same statement and trailing comments, keeping comments', () => {
    const input = [
      '  # header comment   ',
      'input   12288 # n_x',
      'dense 20   relu    # hidden',
      '   dense 7 relu',
      'dense 1 sigmoid # out',
      '',
      'data train "train.h5" x=train_set_x y=train_set_y',
      'data test "test.h5" x=test_set_x y=test_set_y',
      'learning_rate   0.0075',
    ].join('\n');
    assert.equal(
      formatText(input),
      [
        '# header comment',
        'input 12288       # n_x',
        'dense 20 relu     # hidden',
        'dense 7  relu',
        'dense 1  sigmoid  # out',
        '',
        'data train "train.h5" x=train_set_x y=train_set_y',
        'data test  "test.h5"  x=test_set_x  y=test_set_y',
        'learning_rate 0.0075',
      ].join('\n'),
    );
  });

  it('is idempotent and gives no edits for a formatted file', () => {
    const once = formatText('input 2 # a\ndense  4 tanh # b\ndense 1 sigmoid\n');
    assert.equal(formatText(once), once);
    assert.deepEqual(formatEdits(once), []);
  });

  it('edits only the lines that change', () => {
    const edits = formatEdits('input 2\ndense  4 tanh\ndense 1 sigmoid\n');
    assert.deepEqual(edits, [
      { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 13 } }, newText: 'dense 4 tanh' },
    ]);
  });

  it('keeps lone CR line ends', () => {
    assert.equal(formatText('input  2\rdense 1   sigmoid\r'), 'input 2\rdense 1 sigmoid\r');
    assert.deepEqual(formatEdits('input 2\rdense  1 sigmoid').map((e) => e.range.start.line), [1]);
  });

  it('leaves a line with an unterminated string alone except trailing space', () => {
    assert.equal(formatText('data train "oops  \ninput  2'), 'data train "oops\ninput 2');
  });
});

describe('language configuration', () => {
  const config = JSON.parse(readFileSync(path.join(__dirname, '..', '..', '..', 'language-configuration.json'), 'utf8'));
  /** the word at `character`, as VS Code finds it with the word pattern */
  const wordAt = (line: string, character: number): string | undefined => {
    for (const m of line.matchAll(new RegExp(config.wordPattern, 'g'))) {
      if (m.index! <= character && character <= m.index! + m[0].length) return m[0];
    }
    return undefined;
  };

  it('the word pattern takes 64x64x3 as one word', () => {
    assert.equal(wordAt('input 64x64x3', 7), '64x64x3');
    assert.equal(wordAt('input 64x64x3', 12), '64x64x3');
  });

  it('the word pattern keeps numbers, fractions and names whole', () => {
    assert.equal(wordAt('learning_rate 0.0075', 16), '0.0075');
    assert.equal(wordAt('learning_rate 1e-3', 16), '1e-3');
    assert.equal(wordAt('data train "a.csv" scale=1/255', 27), '1/255');
    assert.equal(wordAt('dense 20 leaky_relu', 12), 'leaky_relu');
    assert.equal(wordAt('input 12288', 8), '12288');
  });
});
