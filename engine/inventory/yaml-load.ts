// The project's one YAML loader, as Ansible's (AnsibleLoader: PyYAML's YAML 1.1 resolvers, see
// yaml-tags.ts) reads YAML: playbooks, roles and task files, inventories, group_vars/host_vars,
// vars_files, include_vars, `-e @file` and the from_yaml filters all come through here.
// Duplicate keys keep the last value and warn, fail or pass silently as DUPLICATE_YAML_DICT_KEY
// says; positions of mappings and sequences can be recorded for errors that point at file:line.
import { LineCounter, isAlias, type Tags, isMap, isScalar, isSeq, parseAllDocuments, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import { toJS } from 'yaml/util';
import { InventoryError, type SourcePos } from '../errors/index.js';
import { IntegralFloat, settle } from './floats.js';
import { pyStr } from './pyrepr.js';
import { PYYAML_TAGS, VAULT_ERROR_MARK, vaultTags } from './yaml-tags.js';
import { VaultError, type Vault } from '../vault/secrets.js';

export { PyDateTime } from './yaml-tags.js';

/** DUPLICATE_YAML_DICT_KEY (ANSIBLE_DUPLICATE_YAML_DICT_KEY, [defaults] duplicate_dict_key). */
export type DuplicateKeys = 'warn' | 'error' | 'ignore';

export interface YamlOptions {
  /** What a duplicate mapping key does; default 'warn'. */
  duplicateKeys?: DuplicateKeys;
  /** Where warnings go (without the "[WARNING]: " prefix); none: they are dropped. */
  warn?: (message: string) => void;
  /** The error to throw for bad YAML; default InventoryError. */
  error?: (message: string, pos: SourcePos) => Error;
  /** The run's vault secrets: encrypted files and `!vault` values are decrypted with them. */
  vault?: Vault;
}

export interface LoadedYaml {
  doc: Document;
  lines: LineCounter;
  file: string;
}

/** Positions of the objects and arrays produced from YAML, keyed by identity. */
export type PositionMap = WeakMap<object, SourcePos>;

function parseOptions(file: string, opts: YamlOptions) {
  const vault = opts.vault;
  const decrypt = vault
    ? (text: string) => {
        const plain = vault.decrypt(text, file).plaintext.toString('utf8');
        vault.reveal(plain);
        return plain;
      }
    : undefined;
  return {
    version: '1.1',
    schema: 'failsafe',
    customTags: (tags: Tags): Tags => [...tags, ...PYYAML_TAGS, ...vaultTags(decrypt)],
    merge: true,
    uniqueKeys: false,
    prettyErrors: false,
  } as const;
}

/** DataLoader: a whole vault-encrypted file is decrypted before it is parsed (no secrets: Ansible's error). */
export function decryptIfVaulted(text: string, file: string, opts: YamlOptions): string {
  if (!text.startsWith('$ANSIBLE_VAULT')) return text;
  // VaultError names the file itself, as Ansible's message does
  if (!opts.vault?.secrets.length) throw new VaultError(`Attempting to decrypt but no vault secrets found (${file} is vault-encrypted; give --vault-id or --vault-password-file)`);
  return opts.vault.decrypt(text, file).plaintext.toString('utf8');
}

function posOf(file: string, lines: LineCounter, offset: number | undefined): SourcePos {
  if (offset === undefined) return { file };
  const { line, col } = lines.linePos(offset);
  return { file, line, column: col };
}

function thrower(file: string, lines: LineCounter, opts: YamlOptions) {
  return (offset: number | undefined, msg: string): never => {
    const pos = posOf(file, lines, offset);
    throw opts.error ? opts.error(msg, pos) : new InventoryError(msg, pos);
  };
}

/** A key as Python hashes it: 1, 1.0 and True are one key; '1' is another. */
function keyIdentity(node: unknown, doc: Document): { id: string; shown: string } | undefined {
  if (!isScalar(node)) return undefined;
  const raw: unknown = node.toJS(doc);
  const v = raw instanceof IntegralFloat ? raw.value : raw;
  if (typeof v === 'number' || typeof v === 'boolean') return { id: `n:${Number(v)}`, shown: pyStr(raw instanceof IntegralFloat ? raw : v) };
  if (v === null) return { id: 'null', shown: 'None' };
  return { id: `s:${String(v)}`, shown: String(v) };
}

const isMergeKey = (k: unknown): boolean => isScalar(k) && typeof k.value === 'symbol';

/** PyYAML's flatten_mapping: the key nodes of a mapping, merged ones first, in constructor order. */
function flatKeys(map: YamlNode, doc: Document): YamlNode[] {
  if (!isMap(map)) return [];
  const merged: YamlNode[] = [];
  const own: YamlNode[] = [];
  for (const pair of map.items) {
    if (!isMergeKey(pair.key)) {
      own.push(pair.key as YamlNode);
      continue;
    }
    const v = isAlias(pair.value) ? pair.value.resolve(doc) : pair.value;
    if (isMap(v)) merged.push(...flatKeys(v, doc));
    else if (isSeq(v)) {
      const subs = v.items.map((it) => flatKeys((isAlias(it) ? it.resolve(doc) : it) as YamlNode, doc));
      for (const s of subs.reverse()) merged.push(...s);
    }
  }
  return [...merged, ...own];
}

/** AnsibleConstructor.construct_mapping's duplicate-key rule, on every mapping of the document. */
function checkDuplicates(y: LoadedYaml, opts: YamlOptions, fail: (offset: number | undefined, msg: string) => never): void {
  const mode = opts.duplicateKeys ?? 'warn';
  if (mode === 'ignore') return;
  const walk = (node: unknown): void => {
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const key of flatKeys(node, y.doc)) {
        const k = keyIdentity(key, y.doc);
        if (!k) continue;
        if (seen.has(k.id)) {
          const { line, col } = y.lines.linePos(node.range?.[0] ?? 0);
          const msg = `While constructing a mapping from ${y.file}, line ${line}, column ${col}, found a duplicate dict key (${k.shown}). Using last defined value only.`;
          if (mode === 'error') fail(node.range?.[0], `Syntax Error while loading YAML: ${msg}`);
          opts.warn?.(msg);
        }
        seen.add(k.id);
      }
      for (const pair of node.items) walk(pair.value);
    } else if (isSeq(node)) for (const item of node.items) walk(item);
  };
  walk(y.doc.contents);
}

/**
 * construct_mapping's hashability check: a mapping or sequence as a key (`msg: {{ x }}` unquoted is
 * a flow mapping whose key is a mapping) is an error in PyYAML, not a key to stringify.
 */
function checkKeys(y: LoadedYaml, fail: (offset: number | undefined, msg: string) => never): void {
  const walk = (node: unknown): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isAlias(pair.key) ? pair.key.resolve(y.doc) : pair.key;
        if (isMap(key) || isSeq(key)) {
          const { line, col } = y.lines.linePos((key as YamlNode).range?.[0] ?? 0);
          fail((key as YamlNode).range?.[0], `Syntax Error while loading YAML: while constructing a mapping, found unhashable key (line ${line}, column ${col})`);
        }
        walk(pair.value);
      }
    } else if (isSeq(node)) for (const item of node.items) walk(item);
  };
  walk(y.doc.contents);
}

function checked(doc: Document, file: string, lines: LineCounter, opts: YamlOptions): LoadedYaml {
  const fail = thrower(file, lines, opts);
  const err = doc.errors[0];
  if (err) {
    if (err.message.startsWith(VAULT_ERROR_MARK)) throw new VaultError(err.message.slice(VAULT_ERROR_MARK.length).replace(/ at line \d+, column \d+:[\s\S]*$/, ''), posOf(file, lines, err.pos[0]));
    const msg = err.code === 'MULTIPLE_DOCS' ? 'expected a single document in the stream, but found another document' : err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    fail(err.pos[0], `Syntax Error while loading YAML: ${msg}`);
  }
  const warn = doc.warnings.find((w) => w.code === 'TAG_RESOLVE_FAILED');
  if (warn) fail(warn.pos[0], `Syntax Error while loading YAML: ${warn.message.split('\n')[0]} (only !unsafe, !vault and the standard tags are supported)`);
  const y = { doc, lines, file };
  checkKeys(y, fail);
  checkDuplicates(y, opts, fail);
  return y;
}

/** PyYAML's Reader.NON_PRINTABLE: characters it refuses before parsing (NUL, controls, binary data). */
const NON_PRINTABLE = /[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** Reader.check_printable: the first unacceptable character fails the load, at its position. */
function checkPrintable(text: string, file: string, lines: LineCounter, opts: YamlOptions): void {
  const m = NON_PRINTABLE.exec(text);
  if (!m) return;
  const code = m[0].codePointAt(0)!.toString(16).padStart(4, '0');
  thrower(file, lines, opts)(m.index, `Syntax Error while loading YAML: unacceptable character #x${code}: control characters are not allowed`);
}

/** Parse one YAML document; syntax errors, unknown tags and multiple documents throw with file:line. */
export function parseYaml(text: string, file: string, opts: YamlOptions = {}): LoadedYaml {
  const lines = new LineCounter();
  const plain = decryptIfVaulted(text, file, opts);
  const doc = parseDocument(plain, { ...parseOptions(file, opts), lineCounter: lines });
  checkPrintable(plain, file, lines, opts);
  return checked(doc, file, lines, opts);
}

/**
 * One conversion context per document, kept across calls: PyYAML constructs the document once,
 * so an alias is the very object of its anchor (ansible-inventory --yaml shows it as &id001/*id001),
 * even when a caller converts the parts of a document one by one.
 */
const contexts = new WeakMap<Document, Parameters<typeof toJS>[2]>();
function convert(y: LoadedYaml, node: YamlNode): unknown {
  let ctx = contexts.get(y.doc);
  if (!ctx) {
    ctx = { anchors: new Map(), doc: y.doc, keep: true, mapAsMap: false, mapKeyWarned: false, maxAliasCount: 10000 };
    contexts.set(y.doc, ctx);
  }
  return toJS(node, '', ctx);
}

/** Convert a node (or the whole document) to plain JS data, as Ansible would see it. */
export function toData(y: LoadedYaml, node?: YamlNode | null): unknown {
  if (node === undefined) return settle(y.doc.toJS({ maxAliasCount: 10000 }));
  if (node === null) return null;
  return settle(convert(y, node));
}

/** toData, with an integral float at the top left boxed so the caller can mark the slot it goes to. */
export function toDataBoxed(y: LoadedYaml, node: YamlNode | null | undefined): unknown {
  if (!node) return null;
  const d: unknown = convert(y, node);
  return d instanceof IntegralFloat ? d : settle(d);
}

/** Every document of a stream as data (from_yaml_all). */
export function loadYamlAll(text: string, file: string, opts: YamlOptions = {}): unknown[] {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { ...parseOptions(file, opts), lineCounter: lines } as never) as unknown as Document[];
  checkPrintable(text, file, lines, opts);
  return docs.map((doc) => toData(checked(doc, file, lines, { duplicateKeys: 'ignore', ...opts })));
}

/** Record where each mapping and sequence of `value` (toData of `y`) was written. */
export function recordPositions(y: LoadedYaml, value: unknown, positions: PositionMap): void {
  const walk = (node: unknown, v: unknown): void => {
    if (v === null || typeof v !== 'object' || isAlias(node)) return;
    if (isMap(node)) {
      const first = node.items[0]?.key as YamlNode | undefined;
      if (!positions.has(v)) positions.set(v, posOf(y.file, y.lines, first?.range?.[0] ?? node.range?.[0]));
      for (const pair of node.items) {
        const key: unknown = isScalar(pair.key) ? pair.key.value : pair.key;
        if (typeof key === 'symbol' || (typeof key === 'object' && key !== null)) continue;
        walk(pair.value, (v as Record<string, unknown>)[String(key)]);
      }
    } else if (isSeq(node) && Array.isArray(v)) {
      if (!positions.has(v)) positions.set(v, posOf(y.file, y.lines, node.range?.[0]));
      node.items.forEach((item, i) => walk(item, v[i]));
    }
  };
  walk(y.doc.contents, value);
}

/** Line (1-based) where a node starts. */
export function lineOf(y: LoadedYaml, node: YamlNode | null | undefined): number | undefined {
  if (!node || !node.range) return undefined;
  return y.lines.linePos(node.range[0]).line;
}

/** Error at a node's position. */
export function failAt(y: LoadedYaml, node: YamlNode | null | undefined, msg: string): never {
  throw new InventoryError(msg, { file: y.file, line: lineOf(y, node) });
}

/**
 * Load a vars file as DataLoader.load does: decrypted if vault-encrypted, JSON first, then YAML.
 * Empty documents give null.
 */
export function loadVarsText(raw: string, file: string, opts: YamlOptions = {}): unknown {
  const text = decryptIfVaulted(raw, file, opts);
  if (text !== raw) {
    const data = loadVarsText(text, file, opts);
    opts.vault?.reveal(data);
    return data;
  }
  const t = text.trim();
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      return JSON.parse(t);
    } catch {
      /* not JSON: YAML below */
    }
  }
  return toData(parseYaml(text, file, opts));
}

export { isMap, isScalar };
