// Regenerates src/export/onnx/onnxSchema.json from the vendored src/export/onnx/onnx.proto3:
// the schema as protobufjs's JSON descriptor (field names as in the .proto, snake_case), which
// the ONNX exporter loads with protobufjs/light (no .proto parser in the bundles).
// Run: node scripts/onnx-schema.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'src', 'export', 'onnx');

/** The JSON text the vendored schema gives (exported for the test that keeps the two in sync). */
export function schemaJson() {
  const { root } = protobuf.parse(readFileSync(path.join(dir, 'onnx.proto3'), 'utf8'), { keepCase: true });
  return JSON.stringify(root.toJSON(), null, 1) + '\n';
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(path.join(dir, 'onnxSchema.json'), schemaJson());
  console.log('wrote src/export/onnx/onnxSchema.json');
}
