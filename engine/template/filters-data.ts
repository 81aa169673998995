// Ansible's data and text filters: JSON/YAML in and out, base64, shell quoting, regular
// expressions (Python `re` semantics), split and dates (strftime, to_datetime).
import { loadYamlAll, parseYaml as parseAnsibleYaml, toData } from '../inventory/yaml-load.js';
import { strptime, timeStrftime } from './datetime.js';
import { pySplit } from './methods.js';
import { jsonDumps, yamlDump } from './pydump.js';
import { pyStr, pythonTruthy } from './python.js';
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
    throw new EvalError('Unknown argument');
  });
}

function fromYaml(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  try {
    // the project's one loader (PyYAML's YAML 1.1 resolvers); yaml.safe_load does not warn on duplicates
    return toData(parseAnsibleYaml(v, '<from_yaml>', { duplicateKeys: 'ignore' }));
  } catch (e) {
    throw new EvalError(`from_yaml: ${(e as Error).message}`);
  }
}

/** Python codec names → Node's Buffer encodings (utf-16 writes a BOM, as Python does). */
function codec(name: unknown): { enc: BufferEncoding; bom: boolean } {
  const n = pyStr(name).toLowerCase().replace(/_/g, '-');
  const table: Record<string, BufferEncoding> = {
    'utf-8': 'utf8', utf8: 'utf8', 'utf-16-le': 'utf16le', 'utf-16le': 'utf16le', 'utf-16': 'utf16le', utf16: 'utf16le',
    'latin-1': 'latin1', latin1: 'latin1', 'iso-8859-1': 'latin1', ascii: 'ascii', 'us-ascii': 'ascii',
  };
  const enc = table[n];
  if (!enc) throw new EvalError(`unknown encoding: ${pyStr(name)}`);
  return { enc, bom: n === 'utf-16' || n === 'utf16' };
}

addFilters({
  to_json: (v, _a, kw) =>
    jsonDumps(v, {
      indent: kw.indent as number | undefined,
      sortKeys: pythonTruthy(kw.sort_keys ?? false),
      ensureAscii: pythonTruthy(kw.ensure_ascii ?? true),
      separators: Array.isArray(kw.separators) && kw.separators.length === 2 ? [pyStr(kw.separators[0]), pyStr(kw.separators[1])] : undefined,
    }),
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
  from_yaml_all: (v) => {
    if (typeof v !== 'string') return v;
    try {
      return loadYamlAll(v, '<from_yaml_all>');
    } catch (e) {
      throw new EvalError(`from_yaml_all: ${(e as Error).message}`);
    }
  },
  b64encode: (v, a, kw) => {
    const { enc, bom } = codec(arg(a, kw, 0, 'encoding', 'utf-8'));
    const body = Buffer.from(pyStr(v), enc);
    return (bom ? Buffer.concat([Buffer.from([0xff, 0xfe]), body]) : body).toString('base64');
  },
  b64decode: (v, a, kw) => {
    const { enc, bom } = codec(arg(a, kw, 0, 'encoding', 'utf-8'));
    const raw = Buffer.from(pyStr(v), 'base64');
    return (bom && raw[0] === 0xff && raw[1] === 0xfe ? raw.subarray(2) : raw).toString(enc);
  },
  // shlex.quote: the one quoting primitive (bare when safe, else single quotes)
  quote: (v) => quote(v === null || v === undefined ? '' : pyStr(v)),
  regex_replace: (v, a, kw) =>
    pySub(pyStr(v), pyStr(arg(a, kw, 0, 'pattern', '')), pyStr(arg(a, kw, 1, 'replacement', '')), regexFlags(a, kw, 2), Number(kw.count ?? 0)),
  regex_search: (v, a, kw) => regexSearch(v, a, kw),
  // regex_findall(value, regex, multiline=False, ignorecase=False): multiline comes first here
  regex_findall: (v, a, kw) =>
    pyFindall(pyStr(v), pyStr(arg(a, kw, 0, 'regex', '')), {
      multiline: pythonTruthy(arg(a, kw, 1, 'multiline', false)),
      ignorecase: pythonTruthy(arg(a, kw, 2, 'ignorecase', false)),
    }),
  regex_escape: (v, a, kw) => {
    const type = pyStr(arg(a, kw, 0, 're_type', 'python'));
    if (type === 'posix_basic') return pyStr(v).replace(/[.[\]\\*^$]/g, (c) => '\\' + c);
    if (type === 'posix_extended') throw new EvalError(`Regex type (${type}) not yet implemented`);
    if (type !== 'python') throw new EvalError(`Invalid regex type (${type})`);
    return pyRegexEscape(pyStr(v));
  },
  split: (v, a, kw) => pySplit(pyStr(v), arg(a, kw, 0, 'sep', null), arg(a, kw, 1, 'maxsplit', -1)),
  strftime: (v, a, kw) => {
    const second = arg<unknown>(a, kw, 0, 'second', null);
    let secs = Date.now() / 1000;
    if (second !== null) {
      secs = typeof second === 'number' || typeof second === 'boolean' ? Number(second) : typeof second === 'string' && /^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i.test(second) ? Number(second) : NaN;
      if (Number.isNaN(secs)) throw new EvalError(`Invalid value for epoch value (${pyStr(second)})`);
    }
    return timeStrftime(pyStr(v), secs, pythonTruthy(arg(a, kw, 1, 'utc', false)));
  },
  to_datetime: (v, a, kw) => strptime(pyStr(v), pyStr(arg(a, kw, 0, 'format', '%Y-%m-%d %H:%M:%S'))),
});
