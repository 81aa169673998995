// What goes to the host for a module file, as ansible-core 2.14's module_common.py builds it:
// the module's style (new-style Python, old-style key=value, WANT_JSON, JSONARGS, binary) and,
// for new-style Python, every module_utils file it imports, followed recursively on the
// controller (recursive_finder): `ansible.module_utils.X` from the playbook's and roles'
// module_utils/ folders, the configured module_utils paths, then ansible-core's own;
// `ansible_collections.NS.COLL.plugins.module_utils.X` (and relative imports) from the collection.
// Parent packages come with their __init__.py (an empty one where the folder has none).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findCollection } from '../search/collections.js';
import type { ModuleFileRef } from '../playbook/types.js';
import { absoluteModule, scanImports } from './imports.js';

export type ModuleStyle = 'new' | 'jsonargs' | 'old' | 'non_native_want_json' | 'binary' | 'powershell';

const REPLACER = '#<<INCLUDE_ANSIBLE_MODULE_COMMON>>';
/** module_common.NEW_STYLE_PYTHON_MODULE_RE */
const NEW_STYLE =
  /(?:from +\.{2,} *module_utils.* +import |from +\.{2,} *module_utils.* +import +\(|from +ansible_collections\.[^.]+\.[^.]+\.plugins\.module_utils.* +import |import +ansible_collections\.[^.]+\.[^.]+\.plugins\.module_utils.*|from +ansible\.module_utils.* +import |import +ansible\.module_utils\.)/;

/** module_common._is_binary: a NUL or bytes outside text in the data. */
function isBinary(data: Buffer): boolean {
  const textChars = new Set([7, 8, 9, 10, 12, 13, 27, ...Array.from({ length: 0x100 - 0x20 }, (_v, i) => i + 0x20).filter((c) => c !== 0x7f)]);
  for (const b of data) if (!textChars.has(b)) return true;
  return false;
}

/** The module's style and its source as sent (REPLACER substituted as Ansible does). */
export function moduleStyle(data: Buffer): { style: ModuleStyle; source: Buffer } {
  if (isBinary(data)) return { style: 'binary', source: data };
  const text = data.toString('utf8');
  if (text.includes(REPLACER)) return { style: 'new', source: Buffer.from(text.split(REPLACER).join('from ansible.module_utils.basic import *')) };
  if (NEW_STYLE.test(text)) return { style: 'new', source: data };
  if (text.includes('# POWERSHELL_COMMON') || /#Requires -Module/i.test(text)) return { style: 'powershell', source: data };
  if (text.includes('<<INCLUDE_ANSIBLE_MODULE_JSON_ARGS>>')) return { style: 'jsonargs', source: data };
  if (text.includes('WANT_JSON')) return { style: 'non_native_want_json', source: data };
  return { style: 'old', source: data };
}

export interface PayloadSources {
  /** module_utils/ folders of playbooks and roles, then the configured module_utils paths. */
  moduleUtilsDirs: readonly string[];
  /** The controller's ansible package folder (ansible-core); undefined: not installed. */
  ansibleCore?: string;
  /** Roots holding ansible_collections/. */
  collectionRoots: readonly string[];
}

export interface Payload {
  /** Dotted name the module runs as (ansible.modules.X or ansible_collections.NS.COLL.plugins.modules.X). */
  fqn: string;
  /** Path in the payload (ansible/module_utils/basic.py, ...) → content. */
  files: Map<string, Buffer>;
}

export class PayloadError extends Error {}

/** The dotted name a module file runs as. */
export function moduleFqn(ref: ModuleFileRef): string {
  if (ref.collectionDir && /^[\w]+\.[\w]+\./.test(ref.fqcn)) {
    const [ns, coll, ...rest] = ref.fqcn.split('.');
    return ['ansible_collections', ns, coll, 'plugins', 'modules', ...rest].join('.');
  }
  return `ansible.modules.${ref.name}`;
}

/** Build the new-style payload: the module under its dotted name and every module_utils it needs. */
export function buildPayload(ref: ModuleFileRef, source: Buffer, src: PayloadSources): Payload {
  const fqn = moduleFqn(ref);
  const files = new Map<string, Buffer>();
  const modulePath = fqn.split('.').join('/') + '.py';
  files.set(modulePath, source);
  const queue: { text: string; pkg: string; from: string }[] = [{ text: source.toString('utf8'), pkg: fqn.split('.').slice(0, -1).join('.'), from: ref.path }];
  const seen = new Set<string>();
  // basic is always needed: AnsiballZ hands the arguments over through it
  const need = (dotted: string, names: string[], optional: boolean, from: string): void => {
    const candidates = [...names.map((n) => `${dotted}.${n}`), dotted];
    // a name that is neither a module nor a package is an attribute of its parent (six.moves)
    for (let d = dotted.split('.').length - 1; d >= 3; d--) candidates.push(dotted.split('.').slice(0, d).join('.'));
    let found = false;
    for (const cand of candidates) {
      const hit = locate(cand, src);
      if (!hit) continue;
      found = true;
      addWithParents(cand, hit, files);
      if (!seen.has(cand)) {
        seen.add(cand);
        queue.push({ text: hit.content.toString('utf8'), pkg: hit.isPackage ? cand : cand.split('.').slice(0, -1).join('.'), from: hit.path });
        // the parent packages' own __init__.py run first on import: theirs are needed too
        const parts = cand.split('.');
        for (let i = 3; i < parts.length; i++) if (!seen.has(parts.slice(0, i).join('.'))) need(parts.slice(0, i).join('.'), [], true, hit.path);
      }
      // `from pkg import a, b`: every name that is a submodule counts, the package itself too
      if (cand !== dotted && names.length > 1) continue;
      break;
    }
    if (!found && !optional) {
      throw new PayloadError(`Could not find imported module support code for ${dotted} (imported by ${from}). Looked for ${candidates.map((c) => c.split('.').join('/')).join(', ')}`);
    }
  };
  need('ansible.module_utils.basic', [], false, ref.path);
  while (queue.length) {
    const item = queue.shift()!;
    for (const imp of scanImports(item.text)) {
      const abs = absoluteModule(imp.module, item.pkg);
      if (!abs) continue;
      if (abs === 'ansible.module_utils' || abs.startsWith('ansible.module_utils.') || /^ansible_collections\.\w+\.\w+\.plugins\.module_utils(\.|$)/.test(abs)) {
        need(abs, imp.names, imp.optional, item.from);
      }
    }
  }
  return { fqn, files };
}

interface Located {
  path: string;
  content: Buffer;
  isPackage: boolean;
}

function readIf(path: string, isPackage: boolean): Located | undefined {
  return existsSync(path) ? { path, content: readFileSync(path), isPackage } : undefined;
}

/** The file of a dotted module_utils name, in Ansible's search order. */
function locate(dotted: string, src: PayloadSources): Located | undefined {
  const parts = dotted.split('.');
  if (parts[0] === 'ansible' && parts[1] === 'module_utils') {
    const rest = parts.slice(2);
    if (!rest.length) return undefined;
    const dirs = [...src.moduleUtilsDirs, ...(src.ansibleCore ? [join(src.ansibleCore, 'module_utils')] : [])];
    for (const dir of dirs) {
      const hit = readIf(join(dir, ...rest) + '.py', false) ?? readIf(join(dir, ...rest, '__init__.py'), true);
      if (hit) return hit;
    }
    return undefined;
  }
  if (parts[0] === 'ansible_collections' && parts.length > 5) {
    const dir = findCollection([...src.collectionRoots], parts[1], parts[2]);
    if (!dir) return undefined;
    const rest = parts.slice(3);
    return readIf(join(dir, ...rest) + '.py', false) ?? readIf(join(dir, ...rest, '__init__.py'), true);
  }
  return undefined;
}

/** Put a located module in the payload, with an empty __init__.py for each parent package not there yet. */
function addWithParents(dotted: string, hit: Located, files: Map<string, Buffer>): void {
  const parts = dotted.split('.');
  files.set(hit.isPackage ? [...parts, '__init__.py'].join('/') : parts.join('/') + '.py', hit.content);
  for (let i = 1; i < parts.length; i++) {
    const key = [...parts.slice(0, i), '__init__.py'].join('/');
    if (!files.has(key)) files.set(key, Buffer.alloc(0));
  }
}
