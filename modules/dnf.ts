// ansible.builtin.dnf: install, upgrade, downgrade and remove RPM packages with the host's real
// dnf and rpm. `changed` comes from comparing `rpm -qa` before and after, never from dnf's words.
import type { ModuleDefinition } from '../engine/modules-sdk/types.js';
import { pkgSchema, runPkg } from './lib/rpm-module.js';

const dnf: ModuleDefinition = {
  name: 'dnf',
  description: 'Manages packages with the dnf package manager (installroot, repos, excludes, downgrades)',
  supportsCheckMode: true,
  supportsDiff: false,
  schema: pkgSchema(),
  run: (args, ctx) => runPkg(args, ctx),
};

export default dnf;
