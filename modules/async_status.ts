// ansible.builtin.async_status: the state of a background job started by `async:` (its job
// file under the async dir), or, with mode=cleanup, erase that file. The job mechanics are in
// engine/modules-sdk/async-job.ts, shared with the executor's own polling.
import { jobStatus } from '../engine/modules-sdk/async-job.js';
import type { ModuleDefinition } from '../engine/modules-sdk/types.js';

const asyncStatus: ModuleDefinition = {
  name: 'async_status',
  description: 'Obtain status of asynchronous task',
  supportsCheckMode: false,
  supportsDiff: false,
  supportsAsync: false,
  schema: {
    type: 'object',
    properties: {
      jid: { type: 'string' },
      mode: { type: 'string', enum: ['status', 'cleanup'], default: 'status' },
    },
    required: ['jid'],
    additionalProperties: false,
  },
  async run(args, ctx) {
    return jobStatus(ctx, String(args.jid), args.mode === 'cleanup' ? 'cleanup' : 'status');
  },
};

export default asyncStatus;
