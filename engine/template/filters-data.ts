// Ansible's data and text filters: JSON/YAML in and out, base64, paths, shell quoting, regular
// expressions (Python `re` semantics), split, hashes and checksums, dates.
import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { posix } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { parseYaml as parseAnsibleYaml, toData } from '../inventory/yaml-load.js';
import { strftime } from './datetime.js';
import { iterate, pySplit } from './methods.js';
import { jsonDumps, yamlDump } from './pydump.js';
import { pyStr, pythonTruthy, tuple } from './python.js';
import { pyFindall, pyRegexEscape, pySearch, pySub, type PyRegexFlags } from './regex.js';
import { quote } from '../modules-sdk/quote.js';
import { addFilters, arg, type Kwargs } from './registry.js';
import { EvalError } from './undefined.js';

function regexFlags(a: unknown[], kw: Kwargs, from = 0): PyRegexFlags {
  return {
    ignorecase: pythonTruthy(arg(a, kw, from, 'ignorecase', false)),
    multiline: pythonTruthy(arg(a, kw, from + 1, 'multiline', false)),
  };
}


function regexSearch(v: unknown, a: unknown[], kw: Kwargs): unknown {
  const s = pyStr(v);
  const pattern = pyStr(a[0]);
  const groups = a.slice(1).map(pyStr);
  const m = pySearch(s, pattern, regexFlags([], kw));
  if (!m) return null;
  if (!groups.length) return m[0];
  return groups.map((g) => {
    const num = /^\\(\d+)$/.exec(g);
    if (num) return m[Number(num[1])] ?? null;
    const named = /^\\g<(\w+)>$/.exec(g);
    if (named) return /^\d+$/.test(named[1]) ? m[Number(named[1])] : m.groups?.[named[1]] ?? null;
    throw new EvalError(`Unknown argument ${g}`);
  });
}

function fromYaml(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  try {
    // Ansible's loader (PyYAML, YAML 1.1 resolvers): the same one the inventory uses
    return toData(parseAnsibleYaml(v, '<from_yaml>'));
  } catch (e) {
    throw new EvalError(`from_yaml: ${(e as Error).message}`);
  }
}

function hashOf(v: unknown, algo: string): string {
  const map: Record<string, string> = { sha1: 'sha1', md5: 'md5', sha224: 'sha224', sha256: 'sha256', sha384: 'sha384', sha512: 'sha512' };
  const a = map[algo.toLowerCase()];
  if (!a) throw new EvalError(`unsupported hash type ${algo}`);
  return createHash(a).update(pyStr(v), 'utf8').digest('hex');
}

addFilters({
  to_json: (v, _a, kw) =>
    jsonDumps(v, { indent: kw.indent as number | undefined, sortKeys: pythonTruthy(kw.sort_keys ?? false), ensureAscii: pythonTruthy(kw.ensure_ascii ?? true) }),
  to_nice_json: (v, a, kw) =>
    jsonDumps(v, {
      indent: Number(arg(a, kw, 0, 'indent', 4)),
      sortKeys: pythonTruthy(arg(a, kw, 1, 'sort_keys', true)),
      separators: [',', ': '],
      ensureAscii: pythonTruthy(kw.ensure_ascii ?? true),
    }),
  from_json: (v) => {
    try {
      return JSON.parse(pyStr(v));
    } catch (e) {
      throw new EvalError(`from_json: ${(e as Error).message}`);
    }
  },
  to_yaml: (v, _a, kw) => yamlDump(v, { indent: kw.indent as number | undefined, defaultFlowStyle: (kw.default_flow_style as boolean | null | undefined) ?? null }),
  to_nice_yaml: (v, a, kw) =>
    yamlDump(v, { indent: Number(arg(a, kw, 0, 'indent', 4)), defaultFlowStyle: false, sortKeys: pythonTruthy(kw.sort_keys ?? true) }),
  from_yaml: fromYaml,
  from_yaml_all: (v) => (typeof v === 'string' ? parseAllDocuments(v, { version: '1.1' }).map((d) => (d as { toJS(): unknown }).toJS()) : v),
  b64encode: (v) => Buffer.from(pyStr(v), 'utf8').toString('base64'),
  b64decode: (v) => Buffer.from(pyStr(v), 'base64').toString('utf8'),
  // os.path.basename: everything after the last slash, so '/a/b/' gives ''
  basename: (v) => pyStr(v).slice(pyStr(v).lastIndexOf('/') + 1),
  dirname: (v) => {
    const s = pyStr(v);
    const i = s.lastIndexOf('/');
    if (i < 0) return '';
    const head = s.slice(0, i + 1);
    return /^\/+$/.test(head) ? head : head.replace(/\/+$/, '');
  },
  expanduser: (v) => pyStr(v).replace(/^~(?=$|\/)/, homedir()),
  realpath: (v) => posix.resolve(pyStr(v)),
  relpath: (v, a) => posix.relative(pyStr(a[0] ?? process.cwd()), pyStr(v)),
  splitext: (v) => {
    const s = pyStr(v);
    const base = posix.basename(s);
    const dot = base.lastIndexOf('.');
    if (dot <= 0 || /^\.+$/.test(base.slice(0, dot + 1))) return tuple([s, '']);
    const cut = s.length - (base.length - dot);
    return tuple([s.slice(0, cut), s.slice(cut)]);
  },
  path_join: (v) => {
    const parts = typeof v === 'string' ? [v] : iterate(v).map(pyStr);
    let out = '';
    for (const p of parts) out = p.startsWith('/') || out === '' ? p : out.endsWith('/') ? out + p : out + '/' + p;
    return out;
  },
  // shlex.quote: the one quoting primitive (bare when safe, else single quotes)
  quote: (v) => quote(v === null || v === undefined ? '' : pyStr(v)),
  regex_replace: (v, a, kw) =>
    pySub(pyStr(v), pyStr(arg(a, kw, 0, 'pattern', '')), pyStr(arg(a, kw, 1, 'replacement', '')), regexFlags(a, kw, 2), Number(kw.count ?? 0)),
  regex_search: (v, a, kw) => regexSearch(v, a, kw),
  regex_findall: (v, a, kw) => pyFindall(pyStr(v), pyStr(arg(a, kw, 0, 'regex', '')), regexFlags(a, kw, 1)),
  regex_escape: (v, a, kw) => {
    const type = pyStr(arg(a, kw, 0, 're_type', 'python'));
    if (type === 'posix_basic') return pyStr(v).replace(/[.[\]\\*^$]/g, (c) => '\\' + c);
    if (type !== 'python') throw new EvalError('Invalid regex type (' + type + ')');
    return pyRegexEscape(pyStr(v));
  },
  split: (v, a, kw) => pySplit(pyStr(v), arg(a, kw, 0, 'sep', null), arg(a, kw, 1, 'maxsplit', -1)),
  hash: (v, a, kw) => hashOf(v, pyStr(arg(a, kw, 0, 'hashtype', 'sha1'))),
  checksum: (v) => hashOf(v, 'sha1'),
  md5: (v) => hashOf(v, 'md5'),
  sha1: (v) => hashOf(v, 'sha1'),
  comment: (v, a, kw) => {
    const style = pyStr(arg(a, kw, 0, 'style', 'plain'));
    const prefix = style === 'c' || style === 'cblock' ? '// ' : style === 'erlang' ? '% ' : '# ';
    const body = pyStr(v)
      .split('\n')
      .map((l) => (prefix + l).trimEnd())
      .join('\n');
    const bar = prefix.trim();
    return `${bar}\n${body}\n${bar}`;
  },
  strftime: (v, a, kw) => {
    const secs = arg<unknown>(a, kw, 0, 'second', null);
    const d = secs === null || secs === undefined ? new Date() : new Date(Number(secs) * 1000);
    return strftime(d, pyStr(v));
  },
  to_uuid: (v, a, kw) => uuid5(pyStr(arg(a, kw, 0, 'namespace', '361E6D51-FAEC-444A-9079-341386DA8E2E')), pyStr(v)),
  urlsplit: (v, a, kw) => {
    const u = new URL(pyStr(v));
    const parts: Record<string, unknown> = {
      scheme: u.protocol.replace(/:$/, ''),
      netloc: u.host ? (u.username ? `${u.username}${u.password ? ':' + u.password : ''}@` : '') + u.host : '',
      path: u.pathname,
      query: u.search.replace(/^\?/, ''),
      fragment: u.hash.replace(/^#/, ''),
      username: u.username || null,
      password: u.password || null,
      hostname: u.hostname || null,
      port: u.port ? Number(u.port) : null,
    };
    const q = arg<string | undefined>(a, kw, 0, 'query', undefined);
    return q ? parts[q] : parts;
  },
});

/** RFC 4122 version-5 UUID, as Python's uuid.uuid5 (Ansible's to_uuid). */
function uuid5(namespace: string, name: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const h = createHash('sha1').update(ns).update(name, 'utf8').digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
