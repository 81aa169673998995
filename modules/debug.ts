// ansible.builtin.debug: print a message or a variable's value (controller only); skipped when
// the run's verbosity is below `verbosity`.
import { verboseAlways } from '../engine/modules-sdk/display.js';
import type { ModuleDefinition } from '../engine/modules-sdk/types.js';
import { isUndefinedError, isUndefinedValue, undefinedReason } from '../engine/modules-sdk/values.js';

const NOT_DEFINED = 'VARIABLE IS NOT DEFINED!';

const debug: ModuleDefinition = {
  name: 'debug',
  description: 'Print statements during execution',
  supportsCheckMode: true,
  supportsDiff: false,
  supportsAsync: false,
  controllerOnly: true,
  schema: {
    type: 'object',
    properties: {
      msg: {},
      var: { type: 'string' },
      verbosity: { type: 'integer', minimum: 0, default: 0 },
    },
    additionalProperties: false,
    'x-mutually-exclusive': [['msg', 'var']],
  },
  async run(args, ctx) {
    // ansible-core's debug action always says failed=false
    if (ctx.verbosity < Number(args.verbosity ?? 0)) {
      return { changed: false, skipped: true, skipped_reason: 'Verbosity threshold not met.', failed: false };
    }
    if (args.var === undefined) {
      return verboseAlways({ changed: false, msg: args.msg === undefined ? 'Hello world!' : args.msg, failed: false });
    }
    const name = String(args.var);
    let value: unknown;
    // text from unsafe data is never templated: the debug action's templar returns it as it is,
    // and its second try ("{{" + results + "}}", still unsafe) too
    if (ctx.argIsUnsafe?.('var')) return verboseAlways({ changed: false, [name]: `{{${name}}}`, failed: false });
    try {
      value = ctx.evaluate(name);
      if (isUndefinedValue(value)) value = NOT_DEFINED;
    } catch (e) {
      if (!isUndefinedError(e)) return { changed: false, failed: true, msg: (e as Error).message };
      // from -v Ansible adds why: "VARIABLE IS NOT DEFINED!: 'x' is undefined"
      value = ctx.verbosity > 0 ? `${NOT_DEFINED}: ${undefinedReason(e as Error)}` : NOT_DEFINED;
    }
    return verboseAlways({ changed: false, [name]: value, failed: false });
  },
};

export default debug;
