// The network as an ONNX model (opset 17, IR version 8), written with protobufjs from the
// published ONNX schema (onnx.proto3 of ONNX 1.12.0, vendored beside this file as
// onnxSchema.json). One Gemm per layer (transB = 1, so each weight initialiser is W[l] exactly
// as nnspec stores it, (n[l], n[l-1])) and its activation. Batch-first: input X is (N, n_x),
// output AL is (N, n[L]).

import { Root, type Type } from 'protobufjs/light';
import type { Activation } from '../../shared/model/spec';
import { LEAKY_SLOPE } from '../../trainer/model';
import type { ExportModel } from '../model';
import { describeLayers, formatScale, inputScale } from '../model';
import schema from './onnxSchema.json';

export const ONNX_OPSET = 17;
export const ONNX_IR_VERSION = 8;

/** TensorProto.DataType values (onnx.proto3). */
const FLOAT = 1;
const DOUBLE = 11;
/** AttributeProto.AttributeType.INT */
const ATTR_INT = 2;

let modelType: Type | undefined;
function onnxModelType(): Type {
  modelType ??= Root.fromJSON(schema as object).lookupType('onnx.ModelProto');
  return modelType;
}

export interface OnnxOptions {
  /** float32 weights and input/output instead of float64 (default false) */
  float?: boolean;
  /** the exporting tool's version, stored as producer_version */
  producerVersion?: string;
}

function littleEndian(values: ArrayLike<number>, float: boolean): Uint8Array {
  const size = float ? 4 : 8;
  const out = new Uint8Array(values.length * size);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) {
    if (float) view.setFloat32(i * size, values[i], true);
    else view.setFloat64(i * size, values[i], true);
  }
  return out;
}

interface Node {
  op_type: string;
  input: string[];
  output: string[];
  name: string;
  doc_string?: string;
  attribute?: object[];
}

/** The ONNX node(s) of activation g applied to `z`, writing `a`; leaky ReLU as Max(Z, alpha·Z). */
function activationNodes(g: Activation, z: string, a: string, l: number, alpha: string): Node[] {
  switch (g) {
    case 'sigmoid':
      return [{ op_type: 'Sigmoid', input: [z], output: [a], name: `sigmoid${l}` }];
    case 'tanh':
      return [{ op_type: 'Tanh', input: [z], output: [a], name: `tanh${l}` }];
    case 'relu':
      return [{ op_type: 'Relu', input: [z], output: [a], name: `relu${l}` }];
    case 'leaky_relu':
      // onnxruntime's CPU LeakyRelu has no double kernel: max(z, 0.01 z) is the same function
      // (z > 0: z; z ≤ 0: 0.01 z ≥ z), in two ops that have one
      return [
        { op_type: 'Mul', input: [z, alpha], output: [`${z}_scaled`], name: `leaky_relu${l}_mul`, doc_string: `${LEAKY_SLOPE} * Z${l}` },
        { op_type: 'Max', input: [z, `${z}_scaled`], output: [a], name: `leaky_relu${l}_max`, doc_string: `leaky ReLU: max(Z${l}, ${LEAKY_SLOPE} * Z${l})` },
      ];
    case 'linear':
      return [{ op_type: 'Identity', input: [z], output: [a], name: `linear${l}` }];
  }
}

/** The `.onnx` bytes of the model. */
export function onnxBytes(model: ExportModel, options: OnnxOptions = {}): Uint8Array {
  const float = options.float ?? false;
  const elemType = float ? FLOAT : DOUBLE;
  const { spec, parameters } = model;
  const n = [spec.inputSize!, ...spec.layers.map((l) => l.units)];
  const L = spec.layers.length;
  const scale = inputScale(spec);
  const name = model.name;
  const tensorType = (rows: string | number, cols: number): object => ({
    tensor_type: {
      elem_type: elemType,
      shape: { dim: [typeof rows === 'string' ? { dim_param: rows } : { dim_value: rows }, { dim_value: cols }] },
    },
  });
  const initializer: object[] = [];
  const nodes: Node[] = [];
  let A = 'X';
  const usesLeaky = spec.layers.some((l) => l.activation === 'leaky_relu');
  if (usesLeaky) initializer.push({ name: 'leaky_relu_alpha', dims: [], data_type: elemType, raw_data: littleEndian([LEAKY_SLOPE], float), doc_string: 'negative slope of leaky ReLU' });
  for (let l = 1; l <= L; l++) {
    const { W, b } = parameters[l - 1];
    const flat = new Float64Array(n[l] * n[l - 1]);
    W.forEach((row, i) => flat.set(row, i * n[l - 1]));
    initializer.push({ name: `W${l}`, dims: [n[l], n[l - 1]], data_type: elemType, raw_data: littleEndian(flat, float), doc_string: `W[${l}], (n[${l}], n[${l - 1}]) = (${n[l]}, ${n[l - 1]}), as nnspec stores it` });
    initializer.push({ name: `b${l}`, dims: [n[l]], data_type: elemType, raw_data: littleEndian(b, float), doc_string: `b[${l}] flattened to (${n[l]},)` });
    const Z = `Z${l}`;
    const out = l === L ? 'AL' : `A${l}`;
    nodes.push({
      op_type: 'Gemm',
      input: [A, `W${l}`, `b${l}`],
      output: [Z],
      name: `dense${l}`,
      doc_string: `layer ${l}: Z${l} = ${l === 1 ? 'X' : `A${l - 1}`} · W${l}ᵀ + b${l}, the course's Z[${l}] = W[${l}] A[${l - 1}] + b[${l}] transposed`,
      attribute: [{ name: 'transB', type: ATTR_INT, i: 1 }],
    });
    nodes.push(...activationNodes(spec.layers[l - 1].activation, Z, out, l, 'leaky_relu_alpha'));
    A = out;
  }
  const scaleText = formatScale(scale);
  const inputDoc =
    `Features, batch first: (N, ${n[0]}), one example per row (the transpose of the course's X).` +
    (scale === 1 ? ' Use them as they are (the spec has no scale).' : ` Multiply the raw features by ${scaleText} first, as the spec's scale= does.`);
  const layersText = describeLayers(spec);
  const doc = [
    `${name}: a fully connected network exported by nnspec (${model.trained ? 'trained' : 'untrained: the initial parameters'}).`,
    `Layers: ${layersText}.`,
    `Input X: (N, ${n[0]}) ${float ? 'float32' : 'float64'}, one example per row. ${scale === 1 ? 'No input scale.' : `Multiply raw features by ${scaleText} first.`}`,
    `Output AL: (N, ${n[L]}), the output layer's activation A[L] per example` + (spec.layers[L - 1].activation === 'sigmoid' ? ' (a probability; nnspec predicts 1 where AL > 0.5).' : '.'),
  ].join('\n');
  const metadata: Record<string, string> = {
    'nnspec.network': name,
    'nnspec.input_name': 'X',
    'nnspec.input_shape': `[N, ${n[0]}]`,
    'nnspec.output_name': 'AL',
    'nnspec.output_shape': `[N, ${n[L]}]`,
    'nnspec.scale': scaleText,
    'nnspec.scale_value': String(scale),
    'nnspec.layers': JSON.stringify(n),
    'nnspec.activations': JSON.stringify(spec.layers.map((l) => l.activation)),
    'nnspec.loss': spec.loss,
    'nnspec.trained': String(model.trained),
    'nnspec.dtype': float ? 'float32' : 'float64',
  };
  const message = {
    ir_version: ONNX_IR_VERSION,
    opset_import: [{ domain: '', version: ONNX_OPSET }],
    producer_name: 'nnspec',
    producer_version: options.producerVersion ?? '',
    model_version: 1,
    doc_string: doc,
    graph: {
      name: graphName(name),
      doc_string: doc,
      node: nodes,
      initializer,
      input: [{ name: 'X', type: tensorType('N', n[0]), doc_string: inputDoc }],
      output: [{ name: 'AL', type: tensorType('N', n[L]), doc_string: `A[${L}] per example, (N, ${n[L]})` }],
    },
    metadata_props: Object.entries(metadata).map(([key, value]) => ({ key, value })),
  };
  const type = onnxModelType();
  const problem = type.verify(message);
  if (problem) throw new Error(`ONNX export: ${problem}`);
  return type.encode(type.fromObject(message)).finish();
}

/** A graph name: the network's name with anything but letters, digits and _ replaced by _. */
function graphName(name: string): string {
  const g = name.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  return g || 'nnspec_network';
}
