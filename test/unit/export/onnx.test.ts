// The ONNX export: the schema it is written with, the model's structure and metadata, and its
// predictions run in onnxruntime-node against nnspec's own forward pass (1e-12 relative in
// double), for every activation. Debian's python3-onnx checks every file it writes.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { Root, type Type } from 'protobufjs/light';
import { fromSavedModel, type ExportModel } from '../../../src/export';
import { onnxBytes } from '../../../src/export/onnx/onnxExport';
import schema from '../../../src/export/onnx/onnxSchema.json';
import { loadDataset } from '../../../src/trainer/datasets';
import { TrainingRun } from '../../../src/trainer/run';
import { assertClose, findPython, noPython, randomInputs, referenceAL, runPython, specModel, transpose } from '../harness/exportHarness';

const ROOT = path.resolve(__dirname, '../../..');
const dir = mkdtempSync(path.join(tmpdir(), 'nnspec-onnx-'));
after(() => rmSync(dir, { recursive: true, force: true }));

type Ort = typeof import('onnxruntime-node');
let ort: Ort;
before(async () => {
  ort = await import('onnxruntime-node');
});

const ModelProto: Type = Root.fromJSON(schema).lookupType('onnx.ModelProto');
const decode = (bytes: Uint8Array): any => ModelProto.toObject(ModelProto.decode(bytes), { longs: Number, bytes: Array, defaults: true });

/** Every ONNX file the tests write, for the checker at the end. */
const written: string[] = [];
function save(name: string, bytes: Uint8Array): string {
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  written.push(file);
  return file;
}

/** The model's output for inputs X (n_x, m) in onnxruntime: AL (n[L], m) row-major, like nnspec's. */
async function runOrt(file: string, X: Float64Array, nx: number, m: number, float = false): Promise<Float64Array> {
  const session = await ort.InferenceSession.create(file);
  const xT = transpose(X, nx, m);
  const input = float ? new ort.Tensor('float32', Float32Array.from(xT), [m, nx]) : new ort.Tensor('float64', xT, [m, nx]);
  const { AL } = await session.run({ X: input });
  assert.equal(AL.type, float ? 'float32' : 'float64');
  const out = Float64Array.from(AL.data as ArrayLike<number>);
  return transpose(out, m, out.length / m);
}

const NETS: { what: string; model: () => ExportModel | Promise<ExportModel> }[] = [
  {
    what: 'leaky ReLU, tanh, ReLU and a sigmoid output (he init)',
    model: () => specModel({ inputSize: 3, layers: [{ units: 5, activation: 'leaky_relu' }, { units: 4, activation: 'tanh' }, { units: 3, activation: 'relu' }, { units: 1, activation: 'sigmoid' }] }),
  },
  {
    what: 'sigmoid hidden units and a linear output, mse (xavier init)',
    model: () => specModel({ inputSize: 4, loss: 'mse', init: { kind: 'xavier' }, seed: 7, layers: [{ units: 6, activation: 'sigmoid' }, { units: 3, activation: 'leaky_relu' }, { units: 1, activation: 'linear' }] }),
  },
  {
    what: 'the planar net trained 300 iterations on the flower data',
    model: async () => {
      const spec = specModel({
        inputSize: 2,
        init: { kind: 'random', scale: 0.01 },
        seed: 2,
        learningRate: 1.2,
        iterations: 300,
        layers: [{ units: 4, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }],
        train: { kind: 'generated', split: 'train', generator: 'flower', m: 400, seed: 1, scale: 1 },
      }).spec;
      const run = new TrainingRun(spec, await loadDataset(spec.train!, ROOT));
      while (!run.done) run.step();
      return fromSavedModel(run.toModel(), 'planar.model.json');
    },
  },
];

describe('ONNX export, run in onnxruntime-node', () => {
  for (const [k, net] of NETS.entries()) {
    it(`predicts what nnspec predicts to 1e-12 relative in double: ${net.what}`, async () => {
      const model = await net.model();
      const nx = model.spec.inputSize!;
      const m = 64;
      const X = randomInputs(nx, m, 10 + k, 2);
      const file = save(`net${k}.onnx`, onnxBytes(model));
      const expected = referenceAL(model, X, m);
      const got = await runOrt(file, X, nx, m);
      assertClose(got, expected, 1e-12, 'AL');
      // the 0/1 predictions (A[L] > 0.5) agree too
      assert.deepEqual(Array.from(got, (a) => +(a > 0.5)), Array.from(expected, (a) => +(a > 0.5)));
    });
  }

  it('--float writes float32 weights and input, which agree to single precision', async () => {
    const model = await NETS[0].model();
    const file = save('net0-float.onnx', onnxBytes(model, { float: true }));
    const X = randomInputs(3, 32, 5);
    const got = await runOrt(file, X, 3, 32, true);
    assertClose(got, referenceAL(model, X, 32), 1e-5, 'AL (float32)');
    const decoded = decode(readFileSync(file));
    assert.equal(decoded.graph.input[0].type.tensor_type.elem_type, 1); // FLOAT
    assert.ok(decoded.graph.initializer.every((t: { data_type: number }) => t.data_type === 1));
    assert.equal(decoded.metadata_props.find((p: { key: string }) => p.key === 'nnspec.dtype').value, 'float32');
  });

  it('runs batches of any size N (the input is [N, n_x], N symbolic)', async () => {
    const model = await NETS[0].model();
    const file = save('net0-batch.onnx', onnxBytes(model));
    for (const m of [1, 7]) {
      const X = randomInputs(3, m, 20 + m);
      assertClose(await runOrt(file, X, 3, m), referenceAL(model, X, m), 1e-12, `AL, N = ${m}`);
    }
  });
});

describe('ONNX export, the model file', () => {
  const model = specModel(
    {
      inputSize: 12288,
      inputDims: [64, 64, 3],
      layers: [{ units: 3, activation: 'relu' }, { units: 1, activation: 'sigmoid' }],
      train: { kind: 'file', split: 'train', path: 'train_catvnoncat.h5', x: 'train_set_x', y: 'train_set_y', scale: 1 / 255 },
    },
    'cat classifier',
  );
  const decoded = decode(onnxBytes(model, { producerVersion: '9.9.9' }));

  it('is opset 17, IR version 8, produced by nnspec', () => {
    assert.equal(decoded.ir_version, 8);
    assert.deepEqual(decoded.opset_import.map((o: { domain: string; version: number }) => [o.domain, o.version]), [['', 17]]);
    assert.equal(decoded.producer_name, 'nnspec');
    assert.equal(decoded.producer_version, '9.9.9');
  });

  it('has input X [N, n_x] and output AL [N, 1] in double, and one Gemm (transB = 1) and activation per layer', () => {
    const dims = (v: { type: { tensor_type: { shape: { dim: { dim_param: string; dim_value: number }[] } } } }): (string | number)[] =>
      v.type.tensor_type.shape.dim.map((d) => d.dim_param || d.dim_value);
    assert.equal(decoded.graph.input[0].name, 'X');
    assert.deepEqual(dims(decoded.graph.input[0]), ['N', 12288]);
    assert.equal(decoded.graph.input[0].type.tensor_type.elem_type, 11); // DOUBLE
    assert.equal(decoded.graph.output[0].name, 'AL');
    assert.deepEqual(dims(decoded.graph.output[0]), ['N', 1]);
    assert.deepEqual(
      decoded.graph.node.map((n: { op_type: string; input: string[]; output: string[] }) => `${n.op_type}(${n.input.join(',')})->${n.output.join(',')}`),
      ['Gemm(X,W1,b1)->Z1', 'Relu(Z1)->A1', 'Gemm(A1,W2,b2)->Z2', 'Sigmoid(Z2)->AL'],
    );
    const gemm = decoded.graph.node[0];
    assert.deepEqual(gemm.attribute.map((a: { name: string; i: number }) => [a.name, a.i]), [['transB', 1]]);
  });

  it('stores W[l] as nnspec does, (n[l], n[l-1]) in row-major order, and b[l] as (n[l],)', () => {
    const init = Object.fromEntries(decoded.graph.initializer.map((t: { name: string }) => [t.name, t]));
    assert.deepEqual(init.W1.dims, [3, 12288]);
    assert.deepEqual(init.b1.dims, [3]);
    assert.deepEqual(init.W2.dims, [1, 3]);
    const w1 = new Float64Array(Uint8Array.from(init.W1.raw_data).buffer);
    assert.equal(w1[0], model.parameters[0].W[0][0]);
    assert.equal(w1[12288 + 5], model.parameters[0].W[1][5]);
    assert.deepEqual(Array.from(new Float64Array(Uint8Array.from(init.W2.raw_data).buffer)), model.parameters[1].W[0]);
  });

  it('names the network, the input, its shape and the scale to apply in metadata_props and the doc strings', () => {
    const meta = Object.fromEntries(decoded.metadata_props.map((p: { key: string; value: string }) => [p.key, p.value]));
    assert.equal(meta['nnspec.network'], 'cat classifier');
    assert.equal(meta['nnspec.input_name'], 'X');
    assert.equal(meta['nnspec.input_shape'], '[N, 12288]');
    assert.equal(meta['nnspec.scale'], '1/255');
    assert.equal(Number(meta['nnspec.scale_value']), 1 / 255);
    assert.equal(meta['nnspec.layers'], '[12288,3,1]');
    assert.equal(meta['nnspec.trained'], 'false');
    assert.match(decoded.doc_string, /^cat classifier: .*untrained/);
    assert.match(decoded.graph.input[0].doc_string, /\(N, 12288\), one example per row.*Multiply the raw features by 1\/255 first/);
    assert.equal(decoded.graph.name, 'cat_classifier');
  });

  it('is written with the vendored onnx.proto3 (onnxSchema.json is that file, parsed)', async () => {
    const { schemaJson } = (await import(pathToFileURL(path.join(ROOT, 'scripts/onnx-schema.mjs')).href)) as { schemaJson(): string };
    assert.equal(readFileSync(path.join(ROOT, 'src/export/onnx/onnxSchema.json'), 'utf8'), schemaJson());
    assert.match(readFileSync(path.join(ROOT, 'src/export/onnx/onnx.proto3'), 'utf8'), /SPDX-License-Identifier: Apache-2\.0/);
  });
});

describe("ONNX's own checker", () => {
  const python = findPython('onnx');
  it('accepts every exported file (onnx.checker.check_model, full_check=True)', async (t) => {
    if (!python) return t.skip(noPython('onnx'));
    assert.ok(written.length >= 5, `the tests above wrote ${written.length} files`);
    const out = await runPython(
      python,
      `import sys, onnx
for f in sys.argv[1:]:
    onnx.checker.check_model(onnx.load(f), full_check=True)
    print("ok", f)`,
      written,
    );
    assert.equal(out.trim().split('\n').length, written.length, out);
  });
});
