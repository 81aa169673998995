// ansible.builtin.assert: evaluate each `that` expression (as `when:` does) and fail on the first
// false one with fail_msg (alias msg); success_msg otherwise. Controller only.
import { verboseAlways } from '../engine/modules-sdk/display.js';
import type { ModuleDefinition, ModuleResult } from '../engine/modules-sdk/types.js';
import { pyTruthy } from '../engine/modules-sdk/values.js';

const assert: ModuleDefinition = {
  name: 'assert',
  description: 'Asserts given expressions are true',
  supportsCheckMode: true,
  supportsDiff: false,
  supportsAsync: false,
  controllerOnly: true,
  schema: {
    type: 'object',
    properties: {
      that: { type: ['array', 'string', 'boolean'] },
      fail_msg: { 'x-aliases': ['msg'] },
      success_msg: {},
      quiet: { type: 'boolean', default: false },
    },
    required: ['that'],
    additionalProperties: false,
  },
  async run(args, ctx) {
    // ansible-core's assert action: unless quiet, the result is shown at any verbosity
    const shown = (r: ModuleResult): ModuleResult => (args.quiet ? r : verboseAlways(r));
    // `that` as written (untemplated_args): each item is a conditional, evaluated as `when:` is,
    // and reported as written; a whole `that` given as one template is rendered first
    let thats: unknown = ctx.rawArgs?.that ?? args.that;
    if (typeof thats === 'string' && ctx.rawArgs?.that !== undefined) thats = ctx.render(thats);
    for (const expr of Array.isArray(thats) ? thats : [thats]) {
      let ok: boolean;
      if (typeof expr === 'boolean') ok = expr;
      else {
        try {
          ok = ctx.condition ? ctx.condition(expr) : pyTruthy(ctx.evaluate(String(expr)));
        } catch (e) {
          return shown({
            changed: false,
            failed: true,
            msg: ctx.condition ? (e as Error).message : `The conditional check '${String(expr)}' failed. The error was: ${(e as Error).message}`,
          });
        }
      }
      if (!ok) {
        return shown({
          changed: false,
          failed: true,
          assertion: expr,
          evaluated_to: false,
          msg: args.fail_msg ?? 'Assertion failed',
        });
      }
    }
    return shown({ changed: false, msg: args.success_msg ?? 'All assertions passed' });
  },
};

export default assert;
