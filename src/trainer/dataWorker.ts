// The data worker thread: implements src/shared/wire/data.ts. Reads data files for the
// editor's checks (inspectData, cached by path, size and mtime) and saved models with their data
// (Open Trained Model), so that a large or hostile file never blocks the extension host's
// thread. Requests come through the messenger (src/shared/wire/messenger.ts) and are answered one at
// a time, in order.

import { realpathSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { parentPort } from 'node:worker_threads';
import type { FileWhere, FromDataWorker, InspectRequest, OpenModelRequest, OpenModelResult, ToDataWorker } from '../shared/wire/data';
import { Messenger } from '../shared/wire/messenger';
import { inspectDataCached } from './datasets';
import { DataError, excerpt } from './errors';
import { boundarySnapshot, pointSet } from './run';
import { loadModelData, ModelError, modelParameters, parseSavedModel } from './savedModel';

function realpathOrUndefined(p: string): string | undefined {
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
}

/** Whether `file` is `root` or inside it (both real paths). */
export function isInside(file: string, root: string): boolean {
  const rel = path.relative(root, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Where a request's data file really is, and whether that is outside every root. */
export function whereIs(req: Pick<InspectRequest, 'source' | 'specDir' | 'roots'>): FileWhere {
  if (req.source.kind !== 'file') return {};
  const realPath = realpathOrUndefined(path.resolve(req.specDir, req.source.path));
  if (!realPath) return {};
  const roots = req.roots.map((r) => realpathOrUndefined(r) ?? path.resolve(r));
  return { realPath, outside: roots.length > 0 && !roots.some((r) => isInside(realPath, r)) };
}

async function inspect(req: InspectRequest): Promise<FromDataWorker> {
  const where = whereIs(req);
  try {
    const result = await inspectDataCached(req.source, req.specDir, req.limits);
    return { type: 'result', inspect: { ...result, ...where } };
  } catch (err) {
    const refusal = err instanceof DataError ? err.refusal : undefined;
    return { type: 'error', kind: err instanceof DataError ? 'data' : 'internal', message: messageOf(err), ...where, ...(refusal ? { refusal } : {}) };
  }
}

async function openModel(req: OpenModelRequest): Promise<FromDataWorker> {
  let result: OpenModelResult;
  try {
    let size: number;
    try {
      size = statSync(req.path).size;
    } catch {
      throw new ModelError(`There is no model file at ${req.path}.`);
    }
    const max = req.limits.maxFileBytes;
    if (max !== undefined && size > max) {
      throw new ModelError(`The model file is ${(size / 1048576).toFixed(0)} MB, larger than the limit of ${(max / 1048576).toFixed(0)} MB (nnspec.data.maxFileMB).`);
    }
    const model = parseSavedModel(readFileSync(req.path, 'utf8'));
    result = { model, m: 0, features: model.spec.inputSize ?? 0, testM: 0 };
    if (req.withData) {
      try {
        const { train, test } = await loadModelData(model, path.dirname(req.path), req.limits);
        if (train) {
          result.m = train.X.cols;
          result.testM = test?.X.cols ?? 0;
          if (train.X.rows === 2) {
            result.points = { train: pointSet(train), test: test ? pointSet(test) : undefined };
            const activations = model.spec.layers.map((l) => l.activation);
            result.snapshot = boundarySnapshot(modelParameters(model), activations, train, test, req.grid ?? 40, model.iterations);
          }
        }
      } catch (err) {
        result.dataError = messageOf(err);
      }
    }
  } catch (err) {
    return { type: 'error', kind: err instanceof ModelError ? 'model' : 'internal', message: messageOf(err) };
  }
  return { type: 'result', model: result };
}

function messageOf(err: unknown): string {
  if (err instanceof DataError || err instanceof ModelError) return err.message;
  // not one of ours: a bug or the runtime (out of memory, a string too long); keep it short
  return excerpt(err instanceof Error ? err.message : String(err), 200);
}

function serve(msg: ToDataWorker): Promise<FromDataWorker> {
  switch (msg.type) {
    case 'inspect':
      return inspect(msg);
    case 'openModel':
      return openModel(msg);
  }
}

/** Requests are answered one at a time, in order (a timed-out request is the one the worker is busy with). */
let queue: Promise<unknown> = Promise.resolve();

const messenger = new Messenger<FromDataWorker, ToDataWorker>({
  post: (envelope) => parentPort?.postMessage(envelope),
  handle: (msg) => {
    const answer = queue.then(() => serve(msg)).catch((err): FromDataWorker => ({ type: 'error', kind: 'internal', message: messageOf(err) }));
    queue = answer;
    return answer;
  },
});
parentPort?.on('message', (envelope: unknown) => messenger.receive(envelope));
