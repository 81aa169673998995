// Reads playbook / task / role YAML files the way Ansible (PyYAML) does: YAML 1.1 with yes/no/on/off
// booleans but not y/n, 0755 octal, sexagesimal ints, floats only with a dot, merge keys, dates
// kept as strings, `!unsafe` / `!vault` accepted. Remembers where every mapping and sequence was
// written, so errors and tasks can point at file:line.
import { readFileSync } from 'node:fs';
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Node as YamlNode,
  type ScalarTag,
} from 'yaml';
import { PlaybookError, type SourcePos } from '../errors/index.js';
import { Unsafe } from '../template/python.js';

/** Positions of the objects and arrays produced from YAML, keyed by identity. */
export type PositionMap = WeakMap<object, SourcePos>;

const passThroughTag = (tag: string): ScalarTag => ({
  tag,
  identify: () => false,
  resolve: (text: string) => text,
});

const num = (text: string) => Number(text.replace(/_/g, ''));

/** PyYAML's YAML 1.1 resolvers where the yaml package differs (y/n are strings, floats need a dot). */
const PYYAML_TAGS: ScalarTag[] = [
  { tag: 'tag:yaml.org,2002:bool', default: true, identify: (v) => v === true, test: /^(?:[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/, resolve: () => true },
  { tag: 'tag:yaml.org,2002:bool', default: true, identify: (v) => v === false, test: /^(?:[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/, resolve: () => false },
  { tag: 'tag:yaml.org,2002:int', default: true, identify: (v) => typeof v === 'number' && Number.isInteger(v), test: /^[-+]?(?:0|[1-9][0-9_]*)$/, resolve: num },
  {
    tag: 'tag:yaml.org,2002:float',
    default: true,
    identify: (v) => typeof v === 'number',
    test: /^(?:[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?)$/,
    resolve: num,
  },
];

function customTags(tags: unknown[]): unknown[] {
  const kept = tags.filter((t) => {
    const { tag = '', test } = t as { tag?: string; test?: RegExp };
    if (tag.endsWith(':timestamp') || tag.endsWith(':bool')) return false;
    if (tag.endsWith(':float')) return test?.source.includes('inf') ?? false;
    if (tag.endsWith(':int')) return test?.source !== '^[-+]?[0-9][0-9_]*$';
    return true;
  });
  // !unsafe text is never templated (the template layer's Unsafe); !vault stays opaque text
  const unsafe: ScalarTag = { tag: '!unsafe', identify: () => false, resolve: (text: string) => new Unsafe(text) as unknown as string };
  return [...kept, ...PYYAML_TAGS, unsafe, passThroughTag('!vault'), passThroughTag('!vault-encrypted')];
}

function posAt(file: string, lc: LineCounter, offset: number | undefined): SourcePos {
  if (offset === undefined) return { file };
  const { line, col } = lc.linePos(offset);
  return { file, line, column: col };
}

/** Walk the node tree alongside its JS value and record the first key / item position. */
function record(node: unknown, value: unknown, file: string, lc: LineCounter, positions: PositionMap): void {
  if (value === null || typeof value !== 'object' || isAlias(node)) return;
  if (isMap(node)) {
    const first = node.items[0];
    const keyNode = first?.key as YamlNode | undefined;
    const start = keyNode?.range?.[0] ?? node.range?.[0];
    if (!positions.has(value)) positions.set(value, posAt(file, lc, start));
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? pair.key.value : pair.key;
      if (key === '<<' || typeof key === 'object') continue;
      record(pair.value, (value as Record<string, unknown>)[String(key)], file, lc, positions);
    }
  } else if (isSeq(node) && Array.isArray(value)) {
    if (!positions.has(value)) positions.set(value, posAt(file, lc, node.range?.[0]));
    node.items.forEach((item, i) => record(item, value[i], file, lc, positions));
  }
}

/** Parse YAML text; syntax errors become PlaybookError at the offending line. */
export function parseYaml(text: string, file: string, positions: PositionMap): unknown {
  const lc = new LineCounter();
  const doc = parseDocument(text, {
    version: '1.1',
    lineCounter: lc,
    uniqueKeys: false,
    prettyErrors: false,
    customTags: customTags as never,
  });
  const err = doc.errors[0];
  if (err) {
    const lp = err.linePos?.[0] ?? lc.linePos(err.pos[0]);
    const msg = err.message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '');
    throw new PlaybookError(`Syntax Error while loading YAML: ${msg}`, { file, line: lp.line, column: lp.col });
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 10_000 });
  } catch (e) {
    throw new PlaybookError(`Syntax Error while loading YAML: ${(e as Error).message}`, { file });
  }
  record(doc.contents, value, file, lc, positions);
  return value;
}

/** Read and parse a YAML file; a missing or unreadable file is a PlaybookError. */
export function loadYamlFile(file: string, positions: PositionMap, pos?: SourcePos): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'Could not find or access' : `Could not read (${code})`;
    throw new PlaybookError(`Unable to retrieve file contents: ${why} '${file}'`, pos ?? { file });
  }
  if (text.includes('$ANSIBLE_VAULT;')) {
    throw new PlaybookError('Vault-encrypted files are not supported', { file, line: 1 });
  }
  return parseYaml(text, file, positions);
}
