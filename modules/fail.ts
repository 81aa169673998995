// ansible.builtin.fail: fail the host with a message (controller only).
import type { ModuleDefinition } from '../engine/modules-sdk/types.js';

const fail: ModuleDefinition = {
  name: 'fail',
  description: 'Fail with custom message',
  supportsCheckMode: true,
  supportsDiff: false,
  supportsAsync: false,
  controllerOnly: true,
  schema: {
    type: 'object',
    properties: { msg: { default: 'Failed as requested from task' } },
    additionalProperties: false,
  },
  async run(args) {
    return { changed: false, failed: true, msg: args.msg ?? 'Failed as requested from task' };
  },
};

export default fail;
