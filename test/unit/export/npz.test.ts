// The .npy/.npz writer: NumPy's format 1.0 byte for byte, zip structure and CRC-32, and (when a
// Python with NumPy is on the machine) np.load reading back exactly what was written.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import * as zlib from 'node:zlib';
import { crc32, encodeNpy, encodeNpz, zipStored } from '../../../src/export/npz';
import { findPython, noPython, runPython } from '../harness/exportHarness';

const dir = mkdtempSync(path.join(tmpdir(), 'nnspec-npz-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The entries of a stored zip, read from its central directory, checking each local header. */
function readZip(bytes: Uint8Array): { name: string; data: Uint8Array; crc: number }[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = bytes.length - 22;
  assert.equal(view.getUint32(end, true), 0x06054b50, 'end of central directory');
  const count = view.getUint16(end + 10, true);
  let p = view.getUint32(end + 16, true);
  const out = [];
  for (let i = 0; i < count; i++) {
    assert.equal(view.getUint32(p, true), 0x02014b50, 'central header');
    assert.equal(view.getUint16(p + 10, true), 0, 'stored (method 0)');
    const crc = view.getUint32(p + 16, true);
    const size = view.getUint32(p + 20, true);
    const nameLen = view.getUint16(p + 28, true);
    const offset = view.getUint32(p + 42, true);
    const name = new TextDecoder().decode(bytes.subarray(p + 46, p + 46 + nameLen));
    assert.equal(view.getUint32(offset, true), 0x04034b50, 'local header');
    assert.equal(view.getUint32(offset + 14, true), crc, 'local and central CRC agree');
    const start = offset + 30 + view.getUint16(offset + 26, true) + view.getUint16(offset + 28, true);
    out.push({ name, data: bytes.subarray(start, start + size), crc });
    p += 46 + nameLen + view.getUint16(p + 30, true) + view.getUint16(p + 32, true);
  }
  return out;
}

describe('.npy (format 1.0)', () => {
  it('writes the magic, version 1.0, a header dict padded to 64 bytes, then little-endian float64 in C order', () => {
    const bytes = encodeNpy({ shape: [2, 3], data: [1, 2, 3, 4, 5, -0.5] });
    assert.deepEqual([...bytes.subarray(0, 8)], [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
    const headerLen = bytes[8] | (bytes[9] << 8);
    assert.equal((10 + headerLen) % 64, 0);
    const header = new TextDecoder().decode(bytes.subarray(10, 10 + headerLen));
    assert.match(header, /^\{'descr': '<f8', 'fortran_order': False, 'shape': \(2, 3\), \} *\n$/);
    const values = new DataView(bytes.buffer, 10 + headerLen);
    assert.deepEqual([0, 1, 2, 3, 4, 5].map((i) => values.getFloat64(i * 8, true)), [1, 2, 3, 4, 5, -0.5]);
    assert.equal(bytes.length, 10 + headerLen + 6 * 8);
  });

  it("writes a 1-D shape as (n,) and uint8 data as '|u1'", () => {
    const one = new TextDecoder().decode(encodeNpy({ shape: [4], data: [1, 2, 3, 4] }).subarray(10, 64));
    assert.match(one, /'shape': \(4,\)/);
    const u8 = encodeNpy({ shape: [1, 3], dtype: 'u1', data: [0, 17, 255] });
    const start = 10 + (u8[8] | (u8[9] << 8));
    assert.equal(start % 64, 0);
    assert.match(new TextDecoder().decode(u8.subarray(10, start)), /'descr': '\|u1'/);
    assert.deepEqual([...u8.subarray(start)], [0, 17, 255]);
    assert.throws(() => encodeNpy({ shape: [1], dtype: 'u1', data: [256] }), /not a uint8 value/);
    assert.throws(() => encodeNpy({ shape: [2, 2], data: [1, 2, 3] }), /holds 4 values, but 3 were given/);
  });
});

describe('zip (stored) and CRC-32', () => {
  it('computes the standard CRC-32 (check value of "123456789" is cbf43926, and as zlib does)', () => {
    assert.equal(crc32(new TextEncoder().encode('123456789')).toString(16), 'cbf43926');
    assert.equal(crc32(new Uint8Array(0)), 0);
    const zlibCrc = (zlib as unknown as { crc32?: (b: Uint8Array) => number }).crc32;
    const bytes = Uint8Array.from({ length: 5000 }, (_, i) => (i * 131 + 7) & 0xff);
    if (zlibCrc) assert.equal(crc32(bytes), zlibCrc(bytes));
  });

  it('lists every file with its name, size and CRC in the central directory, uncompressed', () => {
    const a = new Uint8Array([1, 2, 3]);
    const b = new TextEncoder().encode('hello');
    const entries = readZip(zipStored([{ name: 'a.npy', bytes: a }, { name: 'dir/b.txt', bytes: b }]));
    assert.deepEqual(entries.map((e) => e.name), ['a.npy', 'dir/b.txt']);
    assert.deepEqual([...entries[0].data], [1, 2, 3]);
    assert.equal(new TextDecoder().decode(entries[1].data), 'hello');
    assert.equal(entries[1].crc, crc32(b));
  });

  it('gives the same bytes for the same arrays (no time stamp)', () => {
    const arrays = [{ name: 'W1', shape: [1, 2], data: [0.1, 0.2] }];
    assert.deepEqual(encodeNpz(arrays), encodeNpz(arrays));
  });
});

describe('np.load reads the .npz back', () => {
  const python = findPython('numpy');
  it('with the same names, shapes, dtypes and every bit of every value', async (t) => {
    if (!python) return t.skip(noPython('numpy'));
    const odd = [0.1, -0, 1e-308, 5e-324, -1.7976931348623157e308, Math.PI, 1 / 3, 123456789.125];
    const file = path.join(dir, 'arrays.npz');
    writeFileSync(
      file,
      encodeNpz([
        { name: 'W1', shape: [2, 4], data: odd },
        { name: 'b1', shape: [2, 1], data: [0.5, -2] },
        { name: 'pixels', shape: [3], dtype: 'u1', data: [0, 128, 255] },
      ]),
    );
    const out = await runPython(
      python,
      `import json, sys, numpy as np
with np.load(sys.argv[1], allow_pickle=False) as d:
    print(json.dumps({k: {"shape": list(d[k].shape), "dtype": d[k].dtype.str, "c": bool(d[k].flags.c_contiguous), "bytes": d[k].tobytes().hex()} for k in d.files}))`,
      [file],
    );
    const got = JSON.parse(out);
    const hex = (values: number[]): string => Buffer.from(new Float64Array(values).buffer).toString('hex');
    assert.deepEqual(Object.keys(got), ['W1', 'b1', 'pixels']);
    assert.deepEqual(got.W1, { shape: [2, 4], dtype: '<f8', c: true, bytes: hex(odd) });
    assert.deepEqual(got.b1, { shape: [2, 1], dtype: '<f8', c: true, bytes: hex([0.5, -2]) });
    assert.deepEqual(got.pixels, { shape: [3], dtype: '|u1', c: true, bytes: '0080ff' });
  });
});
