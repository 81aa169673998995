// The folders Ansible adds to its plugin loaders while it reads content (add_all_plugin_dirs):
// each playbook's folder and each legacy role's folder contribute their library/,
// module_utils/, filter_plugins/, lookup_plugins/... subfolders, in the order they are met.
// One PluginDirs belongs to one run and is passed explicitly to whoever loads content; the
// module and plugin loaders search these before the configured paths (ANSIBLE_LIBRARY, ...).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Plugin kind → the subfolder Ansible looks for (ansible/plugins/loader.py). */
export const PLUGIN_SUBDIRS = {
  action: 'action_plugins',
  become: 'become_plugins',
  cache: 'cache_plugins',
  callback: 'callback_plugins',
  cliconf: 'cliconf_plugins',
  connection: 'connection_plugins',
  doc_fragments: 'doc_fragments',
  filter: 'filter_plugins',
  httpapi: 'httpapi_plugins',
  inventory: 'inventory_plugins',
  lookup: 'lookup_plugins',
  module: 'library',
  module_utils: 'module_utils',
  netconf: 'netconf_plugins',
  shell: 'shell_plugins',
  strategy: 'strategy_plugins',
  terminal: 'terminal_plugins',
  test: 'test_plugins',
  vars: 'vars_plugins',
} as const;

export type PluginKind = keyof typeof PLUGIN_SUBDIRS;

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export class PluginDirs {
  private readonly dirs = new Map<PluginKind, string[]>();

  /** add_all_plugin_dirs(path): every existing plugin subfolder of `path`, once each. */
  addAll(path: string): void {
    const base = resolve(path);
    for (const [kind, sub] of Object.entries(PLUGIN_SUBDIRS) as [PluginKind, string][]) {
      const dir = join(base, sub);
      if (!isDir(dir)) continue;
      const list = this.dirs.get(kind) ?? [];
      if (!list.includes(dir)) list.push(dir);
      this.dirs.set(kind, list);
    }
  }

  /** The folders added for one kind, in the order they were met. */
  get(kind: PluginKind): readonly string[] {
    return this.dirs.get(kind) ?? [];
  }

  /** The first `<dir>/<name>.py` of a kind's folders (a plugin file is named after the plugin). */
  find(kind: PluginKind, name: string): string | undefined {
    return this.get(kind)
      .map((d) => join(d, `${name}.py`))
      .find((p) => existsSync(p));
  }

  /** Every plugin file (`*.py`, not `__init__.py`) of a kind's folders, in search order. */
  files(kind: PluginKind): string[] {
    return this.get(kind).flatMap((d) => {
      try {
        return readdirSync(d)
          .filter((f) => f.endsWith('.py') && f !== '__init__.py')
          .sort()
          .map((f) => join(d, f));
      } catch {
        return [];
      }
    });
  }
}
