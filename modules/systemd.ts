// ansible.builtin.systemd (alias systemd_service): start/stop/restart/reload a unit, enable,
// mask, daemon-reload. Idempotent: `changed` only when systemctl was asked to change something.
import type { ModuleDefinition } from '../engine/modules-sdk/types.js';
import { buildServiceResult, normaliseServiceArgs, parseServiceOutput, serviceScript } from './lib/service-systemd.js';

const systemd: ModuleDefinition = {
  name: 'systemd',
  aliases: ['systemd_service'],
  description: 'Manage systemd units: state, enablement, masking and daemon-reload',
  supportsCheckMode: true,
  supportsDiff: false,
  schema: {
    type: 'object',
    properties: {
      name: { type: 'string', 'x-aliases': ['service', 'unit'] },
      state: { type: 'string', enum: ['reloaded', 'restarted', 'started', 'stopped'] },
      enabled: { type: 'boolean' },
      force: { type: 'boolean', default: false },
      masked: { type: 'boolean' },
      daemon_reload: { type: 'boolean', default: false, 'x-aliases': ['daemon-reload'] },
      daemon_reexec: { type: 'boolean', default: false, 'x-aliases': ['daemon-reexec'] },
      scope: { type: 'string', enum: ['system', 'user', 'global'], default: 'system' },
      no_block: { type: 'boolean', default: false },
    },
    'x-required-one-of': [['state', 'enabled', 'masked', 'daemon_reload', 'daemon_reexec']],
    additionalProperties: false,
  },
  async run(args, ctx) {
    const a = normaliseServiceArgs(args);
    if (!a.name && (a.state || a.enabled !== undefined || a.masked !== undefined)) {
      return { changed: false, failed: true, msg: 'missing parameter(s) required by state, enabled, masked: name' };
    }
    const r = await ctx.run(serviceScript(a, ctx.check));
    const o = parseServiceOutput(r.stdout);
    if (r.rc !== 0 && !o.failed) return { changed: false, failed: true, rc: r.rc, msg: (r.stderr || r.stdout).trim() || `rc=${r.rc}` };
    return buildServiceResult(a, o);
  },
};

export default systemd;
