// ansible.builtin.yum: on the EL hosts drover targets, yum is dnf's front end (Ansible 2.14 also
// hands yum tasks to dnf when the host's package manager is dnf), so this is the dnf module
// with yum's extra option names.
import type { ModuleDefinition } from '../engine/modules-sdk/types.js';
import { pkgSchema, runPkg } from './lib/rpm-module.js';

const yum: ModuleDefinition = {
  name: 'yum',
  description: 'Manages packages with the yum package manager (run through dnf)',
  supportsCheckMode: true,
  supportsDiff: false,
  schema: pkgSchema({ use_backend: { type: 'string', enum: ['auto', 'yum', 'yum4', 'dnf'], default: 'auto' } }),
  run: (args, ctx) => {
    const { use_backend: _b, ...rest } = args;
    return runPkg(rest, ctx);
  },
};

export default yum;
