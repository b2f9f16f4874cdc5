// The lab worker thread: answers the extension's lab questions (src/shared/wire/labWorker.ts,
// LabJob) with labJobs.ts, off the extension host's thread. The data it reads is kept while its
// files do not change (loadSpecData's cache), so the questions after the first do not read it
// again. Requests come through the messenger and are answered one at a time, in order.

import { parentPort } from 'node:worker_threads';
import type { LabAnswer, LabJob } from '../shared/wire/labWorker';
import { Messenger } from '../shared/wire/messenger';
import { runLabJob } from './labJobs';

const messenger = new Messenger<LabAnswer, LabJob>({
  post: (envelope) => parentPort?.postMessage(envelope),
  handle: (job) => runLabJob(job),
});
parentPort?.on('message', (envelope: unknown) => messenger.receive(envelope));
