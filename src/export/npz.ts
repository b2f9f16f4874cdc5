// NumPy's file formats, written without NumPy: `.npy` (format version 1.0) and `.npz` (a zip
// archive of `.npy` files, stored uncompressed, as `np.savez` writes it). Enough for what the
// exports need: float64 arrays ('<f8', C order) and, for image data, uint8 arrays ('|u1').

/** One array for an `.npz`: its name (the key `np.load(...)[name]` returns it under), shape and values in C order. */
export interface NpyArray {
  name: string;
  shape: number[];
  /** 'f8' (little-endian float64, the default) or 'u1' (uint8; every value must be an integer 0..255) */
  dtype?: 'f8' | 'u1';
  data: ArrayLike<number>;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** The `.npy` bytes of one array: format version 1.0, header padded to a multiple of 64 bytes. */
export function encodeNpy(array: Omit<NpyArray, 'name'>): Uint8Array {
  const dtype = array.dtype ?? 'f8';
  const count = array.shape.reduce((a, b) => a * b, 1);
  if (array.data.length !== count) throw new Error(`npy: shape (${array.shape.join(', ')}) holds ${count} values, but ${array.data.length} were given`);
  const shape = array.shape.length === 1 ? `(${array.shape[0]},)` : `(${array.shape.join(', ')})`;
  const descr = dtype === 'f8' ? '<f8' : '|u1';
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  // magic (6) + version (2) + header length (2) + header, ending in '\n', a multiple of 64
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header.padEnd(total - 10 - 1, ' ') + '\n';
  if (header.length > 0xffff) throw new Error('npy: header too long for format version 1.0');
  const itemSize = dtype === 'f8' ? 8 : 1;
  const out = new Uint8Array(total + count * itemSize);
  out.set(MAGIC, 0);
  out[6] = 1; // major
  out[7] = 0; // minor
  out[8] = header.length & 0xff;
  out[9] = header.length >> 8;
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  if (dtype === 'f8') {
    const view = new DataView(out.buffer, total);
    for (let i = 0; i < count; i++) view.setFloat64(i * 8, array.data[i], true);
  } else {
    for (let i = 0; i < count; i++) {
      const v = array.data[i];
      if (!Number.isInteger(v) || v < 0 || v > 255) throw new Error(`npy: ${v} is not a uint8 value`);
      out[total + i] = v;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------- zip (stored)

let crcTable: Uint32Array | undefined;

/** CRC-32 (the zip and PNG polynomial 0xEDB88320), as zlib computes it. */
export function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = crcTable[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * A zip archive of the given files, stored without compression (method 0), with a fixed
 * timestamp (1980-01-01) so that the same arrays give the same bytes. No zip64: every file and
 * the whole archive must stay below 4 GiB, far above any network nnspec trains.
 */
export function zipStored(files: { name: string; bytes: Uint8Array }[]): Uint8Array {
  const encoder = new TextEncoder();
  const entries = files.map((f) => ({ name: encoder.encode(f.name), bytes: f.bytes, crc: crc32(f.bytes), offset: 0 }));
  const localSize = entries.reduce((s, e) => s + 30 + e.name.length + e.bytes.length, 0);
  const centralSize = entries.reduce((s, e) => s + 46 + e.name.length, 0);
  const total = localSize + centralSize + 22;
  if (total > 0xffffffff) throw new Error('npz: the archive would exceed 4 GiB (zip64 is not supported)');
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let p = 0;
  const DOS_DATE = (0 << 9) | (1 << 5) | 1; // 1980-01-01
  const DOS_TIME = 0;
  for (const e of entries) {
    e.offset = p;
    view.setUint32(p, 0x04034b50, true); // local file header
    view.setUint16(p + 4, 20, true); // version needed: 2.0
    view.setUint16(p + 6, 0, true); // flags
    view.setUint16(p + 8, 0, true); // method: stored
    view.setUint16(p + 10, DOS_TIME, true);
    view.setUint16(p + 12, DOS_DATE, true);
    view.setUint32(p + 14, e.crc, true);
    view.setUint32(p + 18, e.bytes.length, true); // compressed size
    view.setUint32(p + 22, e.bytes.length, true); // uncompressed size
    view.setUint16(p + 26, e.name.length, true);
    view.setUint16(p + 28, 0, true); // extra length
    out.set(e.name, p + 30);
    out.set(e.bytes, p + 30 + e.name.length);
    p += 30 + e.name.length + e.bytes.length;
  }
  const central = p;
  for (const e of entries) {
    view.setUint32(p, 0x02014b50, true); // central directory header
    view.setUint16(p + 4, 20, true); // version made by
    view.setUint16(p + 6, 20, true); // version needed
    view.setUint16(p + 8, 0, true);
    view.setUint16(p + 10, 0, true);
    view.setUint16(p + 12, DOS_TIME, true);
    view.setUint16(p + 14, DOS_DATE, true);
    view.setUint32(p + 16, e.crc, true);
    view.setUint32(p + 20, e.bytes.length, true);
    view.setUint32(p + 24, e.bytes.length, true);
    view.setUint16(p + 28, e.name.length, true);
    view.setUint16(p + 30, 0, true); // extra
    view.setUint16(p + 32, 0, true); // comment
    view.setUint16(p + 34, 0, true); // disk
    view.setUint16(p + 36, 0, true); // internal attributes
    view.setUint32(p + 38, 0, true); // external attributes
    view.setUint32(p + 42, e.offset, true);
    out.set(e.name, p + 46);
    p += 46 + e.name.length;
  }
  view.setUint32(p, 0x06054b50, true); // end of central directory
  view.setUint16(p + 4, 0, true);
  view.setUint16(p + 6, 0, true);
  view.setUint16(p + 8, entries.length, true);
  view.setUint16(p + 10, entries.length, true);
  view.setUint32(p + 12, p - central, true);
  view.setUint32(p + 16, central, true);
  view.setUint16(p + 20, 0, true);
  return out;
}

/** An `.npz` of the arrays, as `np.savez(file, name=array, ...)` would write it (keys in the given order). */
export function encodeNpz(arrays: NpyArray[]): Uint8Array {
  if (arrays.length > 0xffff) throw new Error('npz: too many arrays');
  return zipStored(arrays.map((a) => ({ name: `${a.name}.npy`, bytes: encodeNpy(a) })));
}
