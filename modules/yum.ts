// ansible.builtin.yum: on the EL hosts drover targets, yum is dnf's front end (Ansible 2.14 also
// hands yum tasks to dnf when the host's package manager is dnf), so this is the dnf module
// with yum's extra option names.
import type { ModuleDefinition } from '../engine/modules-sdk/types.js';
import { pkgSchema, runPkg } from './lib/rpm-module.js';
import { waitForYumLock } from './lib/yum-lock.js';

const yum: ModuleDefinition = {
  name: 'yum',
  description: 'Manages packages with the yum package manager (run through dnf)',
  supportsCheckMode: true,
  supportsDiff: false,
  schema: pkgSchema({ use_backend: { type: 'string', enum: ['auto', 'yum', 'yum4', 'dnf'], default: 'auto' } }),
  run: async (args, ctx) => {
    const { use_backend: _b, ...rest } = args;
    // Ansible's yum module waits for yum's lock before anything else (yum.py run()).
    const locked = await waitForYumLock(ctx, Number(rest.lock_timeout ?? 30));
    return locked ?? runPkg(rest, ctx);
  },
};

export default yum;
