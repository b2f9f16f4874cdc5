// The lab's questions as the extension asks them (src/shared/wire/labWorker.ts, LabJob): the step
// inspector's pass, logistic regression's graph, the gradient check and the mislabelled test
// images, at the spec's initial parameters or given ones (a paused run's, a trained model's).
// The lab worker (labWorker.ts) answers them off the extension host's thread, with the same
// functions `nnspec step`, `step --graph` and `gradcheck` print, so the numbers agree.

import type { LabAnswer, LabJob, LabParameters } from '../shared/wire/labWorker';
import { layerSizes, type NetworkSpec } from '../shared/model/spec';
import { DataError, loadSpecData, type Dataset } from '../trainer/datasets';
import { passAt, stepDetail } from '../trainer/inspect';
import { matrix } from '../trainer/kernels';
import { initializeParameters, type LayerParams } from '../trainer/model';
import { TrainingRun } from '../trainer/run';
import { gradientCheck, gradientCheckResult, planGradientCheck, DEFAULT_BUDGET, DEFAULT_EXAMPLES, DEFAULT_MAX_PER_LAYER } from './gradcheck';
import { imageLayout, mislabelled } from './images';
import { logisticGraph, notLogistic } from './logistic';

/** The given parameters as matrices, checked against the spec's shapes. */
export function givenParameters(spec: NetworkSpec, given: Extract<LabParameters, { kind: 'given' }>['parameters']): LayerParams[] {
  const dims = layerSizes(spec);
  if (given.length !== dims.length - 1) throw new Error(`The parameters are for ${given.length} layers, but the spec has ${dims.length - 1}: train again.`);
  return given.map(({ W, b }, i) => {
    const rows = dims[i + 1];
    const cols = dims[i];
    if (W.length !== rows || W.some((row) => row.length !== cols) || b.length !== rows) {
      throw new Error(`Layer ${i + 1}'s parameters do not have the spec's shapes (${rows}, ${cols}): the spec changed since; train again.`);
    }
    const Wm = matrix(rows, cols);
    W.forEach((row, r) => Wm.data.set(row, r * cols));
    return { W: Wm, b: matrix(rows, 1, Float64Array.from(b)) };
  });
}

function parametersAt(spec: NetworkSpec, at: LabParameters): { params: LayerParams[]; iteration: number } {
  if (at.kind === 'given') return { params: givenParameters(spec, at.parameters), iteration: at.iteration };
  return { params: initializeParameters(layerSizes(spec), spec.init, spec.seed), iteration: 0 };
}

async function trainingSet(job: LabJob): Promise<Dataset> {
  if (!job.spec.train) throw new DataError('The spec has no training data: add a `data train ...` line.');
  const { train } = await loadSpecData(job.spec, job.specDir, { limits: job.limits, splits: ['train'], cache: true });
  return train!;
}

/** Answers one question (throws an Error whose message says what is wrong). */
export async function runLabJob(job: LabJob): Promise<LabAnswer> {
  const { spec } = job;
  switch (job.type) {
    case 'step': {
      const train = await trainingSet(job);
      // the pass the training engine computes, on its own buffers
      const run = new TrainingRun(spec, train, undefined, { maxIterations: 0 });
      try {
        // (the network starts at the spec's initial parameters, as training does)
        if (job.at.kind === 'given') {
          givenParameters(spec, job.at.parameters).forEach((p, l) => {
            run.params[l].W.data.set(p.W.data);
            run.params[l].b.data.set(p.b.data);
          });
        }
        return { type: 'step', detail: stepDetail(passAt(run.network, job.at.kind === 'given' ? job.at.iteration : 0)) };
      } finally {
        run.dispose();
      }
    }
    case 'graph': {
      const why = notLogistic(spec);
      if (why) throw new Error(why);
      const train = await trainingSet(job);
      const { params, iteration } = parametersAt(spec, job.at);
      return { type: 'graph', graph: logisticGraph(params, train.X, train.Y, job.example, iteration) };
    }
    case 'gradcheck': {
      if (!spec.train) throw new DataError('The spec has no training data: add a `data train ...` line.');
      const train = await trainingSet(job);
      // refused (with what to reduce) before anything is computed, as `nnspec gradcheck` does
      planGradientCheck(layerSizes(spec), Math.min(DEFAULT_EXAMPLES, train.X.cols), DEFAULT_MAX_PER_LAYER, DEFAULT_BUDGET);
      const { params, iteration } = parametersAt(spec, job.at);
      const detail = gradientCheck(params, spec.layers.map((l) => l.activation), spec.loss, train.X, train.Y, { iteration });
      return { type: 'gradcheck', result: gradientCheckResult(detail) };
    }
    case 'mislabelled': {
      const layout = imageLayout(spec);
      if (!layout) throw new Error('The mislabelled images are for image data: an `input HxWxC` spec.');
      if (!spec.test) throw new DataError('The spec has no test set: add a `data test ...` line to see the test images it gets wrong.');
      const { test } = await loadSpecData(spec, job.specDir, { limits: job.limits, splits: ['test'], cache: true });
      const { params } = parametersAt(spec, job.at);
      const found = mislabelled(spec, params, test!, job.limit);
      return { type: 'mislabelled', layout, examples: found.examples, total: found.total };
    }
  }
}
