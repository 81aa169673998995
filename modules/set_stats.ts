// ansible.builtin.set_stats: hand custom data to the run's stats (controller only). The result's
// `ansible_stats` is folded by the scheduler (engine/scheduler/custom-stats.ts) and shown after
// the PLAY RECAP under CUSTOM STATS when show_custom_stats is on, as 2.14's action plugin does.
import type { ModuleDefinition } from '../engine/modules-sdk/types.js';
import { toBool } from '../engine/modules-sdk/validate.js';

/** Python keywords, which str.isidentifier() accepts but ansible's isidentifier() does not. */
const PY_KEYWORDS = new Set(
  ('False None True and as assert async await break class continue def del elif else except finally for from global if import in ' +
    'is lambda nonlocal not or pass raise return try while with yield').split(' '),
);

export function isIdentifier(name: string): boolean {
  return /^[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*$/u.test(name) && !PY_KEYWORDS.has(name);
}

const setStats: ModuleDefinition = {
  name: 'set_stats',
  description: 'Define and display stats for the current ansible run',
  supportsCheckMode: true,
  supportsDiff: false,
  supportsAsync: false,
  controllerOnly: true,
  schema: {
    type: 'object',
    properties: {
      // any type here: a value that is no dict fails at run time with the action's own message
      data: {},
      per_host: { type: 'boolean', default: false },
      aggregate: { type: 'boolean', default: true },
    },
    additionalProperties: false,
  },
  async run(args, ctx) {
    const data = args.data ?? {};
    if (typeof data !== 'object' || Array.isArray(data)) {
      return { changed: false, failed: true, msg: "The 'data' option needs to be a dictionary/hash" };
    }
    const out: Record<string, unknown> = {};
    for (const [raw, v] of Object.entries(data as Record<string, unknown>)) {
      // the action templates the keys too
      const k = String(ctx.render(raw));
      if (!isIdentifier(k)) {
        return {
          changed: false, failed: true,
          msg: `The variable name '${k}' is not valid. Variables must start with a letter or underscore character, and contain only letters, numbers and underscores.`,
        };
      }
      out[k] = v;
    }
    return { changed: false, ansible_stats: { data: out, per_host: toBool(args.per_host) ?? false, aggregate: toBool(args.aggregate) ?? true } };
  },
};

export default setStats;
