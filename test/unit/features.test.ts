import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  completionsAt,
  documentSymbols,
  formatEdits,
  formatText,
  hoverAt,
  layerShapes,
  formatShapeTable,
  parseSpec,
} from '../../src/language';

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

  it('returns nothing on blank space or comments', () => {
    const p = parseSpec('input 2\n\n# comment\n');
    assert.equal(hoverAt(p, { line: 1, character: 0 }), undefined);
    assert.equal(hoverAt(p, { line: 2, character: 3 }), undefined);
  });
});

describe('shapes', () => {
  it('gives every layer its W, b, Z shapes and parameter count', () => {
    const table = layerShapes(parseSpec(CAT).spec, 209);
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
    const unknown = layerShapes(parseSpec(CAT).spec);
    assert.equal(unknown.m, null);
    assert.deepEqual(unknown.layers[0].Z, [20, 'm']);
  });

  it('prints an aligned table', () => {
    const text = formatShapeTable(layerShapes(parseSpec('input 2\ndense 4 tanh\ndense 1 sigmoid\n').spec, 400));
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
    assert.deepEqual(labels('data train "a.h5" '), ['x=', 'y=', 'label=', 'scale=']);
    assert.deepEqual(labels('data train "a.h5" x=set_x '), ['y=', 'label=', 'scale=']);
    assert.deepEqual(labels('data train flower '), ['scale=', 'm=', 'noise=', 'seed=']);
  });

  it('offers nothing inside a comment', () => {
    assert.deepEqual(labels('dense 4 relu # '), []);
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

  it('leaves a line with an unterminated string alone except trailing space', () => {
    assert.equal(formatText('data train "oops  \ninput  2'), 'data train "oops\ninput 2');
  });
});
