// Filters, tests and lookups a run adds to drover's native ones (the Python plugins of the
// playbook's *_plugins/ folders, ansible.cfg paths, collections and ansible-core): the templar
// asks its PluginSource for a name only when no native plugin has it.
import type { LookupPlugin } from './lookups/types.js';
import type { FilterSpec, TestSpec } from './registry.js';

export interface PluginSource {
  filter(name: string): FilterSpec | undefined;
  test(name: string): TestSpec | undefined;
  lookup(name: string): LookupPlugin | undefined;
}
