// The kernel helper thread (dist/kernelHelper.js): the second core's share of the large
// products. It instantiates the kernel module over the training thread's shared memory, then
// waits for jobs in the control block (control.ts) and claims their chunks, as the training
// thread does, until the job is done or aborted; RELEASE ends it.

import { parentPort } from 'node:worker_threads';
import { controlViews, OP, runChunk, W, waitFor, type KernelExports, type Op } from './control';

/** How long the helper spins for the next job before it sleeps: the gap between two products of an iteration. */
const SPIN_MS = 0.5;

interface Attach {
  type: 'attach';
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
}

function serve({ module, memory }: Attach): void {
  const k = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as KernelExports;
  const ctl = controlViews(memory.buffer);
  const { i32, u32 } = ctl;
  let seq = Atomics.load(i32, W.SEQ);
  parentPort!.postMessage({ type: 'attached' });
  for (;;) {
    waitFor(i32, W.SEQ, seq, false, SPIN_MS);
    seq = Atomics.load(i32, W.SEQ);
    const op = i32[W.OP] as Op;
    const count = u32[W.COUNT];
    const step = u32[W.STEP];
    while (op !== OP.RELEASE && Atomics.load(i32, W.ABORT) === 0) {
      const c0 = Atomics.add(u32, W.NEXT, step);
      if (c0 >= count) break;
      runChunk(k, ctl, op, c0, Math.min(count, c0 + step), 1);
    }
    Atomics.store(i32, W.DONE, seq);
    Atomics.notify(i32, W.DONE);
    if (op === OP.RELEASE) return;
  }
}

parentPort?.on('message', (msg: { type?: string }) => {
  if (msg.type === 'attach') serve(msg as Attach);
});
