// ansible.builtin.package: the generic package module. drover's hosts are RPM hosts, so it is
// always dnf (`use: auto|dnf|yum`); any other backend is refused instead of silently ignored.
import type { ModuleDefinition } from '../engine/modules-sdk/types.js';
import { pkgSchema, runPkg } from './lib/rpm-module.js';

const pkg: ModuleDefinition = {
  name: 'package',
  description: 'Generic OS package manager (dnf on RPM hosts)',
  supportsCheckMode: true,
  supportsDiff: false,
  schema: pkgSchema({ use: { type: 'string', default: 'auto' } }),
  run: (args, ctx) => {
    const { use, ...rest } = args;
    if (use !== undefined && !['auto', 'dnf', 'yum'].includes(String(use))) {
      return Promise.resolve({ changed: false, failed: true, msg: `drover's package module only drives dnf/yum, not '${use}'` });
    }
    return runPkg(rest, ctx);
  },
};

export default pkg;
