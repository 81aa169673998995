// The sequence lookup (with_sequence): "[start-]end[/stride][:format]" or start=/end=/count=/
// stride=/format= as ansible-core 2.14 parses them (Python int(x, 0), printf formats), with its
// error texts.
import { parseKv } from '../../playbook/splitter.js';
import { printfFormat } from '../format.js';
import { pyRepr, typeName } from '../python.js';
import { PluginError, type LookupPlugin } from './types.js';

const NUM = '(0?x?[0-9a-f]+)';
const SHORTCUT = new RegExp(`^(${NUM}-)?${NUM}(/${NUM})?(:(.+))?$`, 'is');

/** Python int(s, 0). */
function int0(s: string): number {
  const t = s.trim().replace(/_(?=[0-9a-f])/gi, '');
  const m = /^([-+]?)(0x[0-9a-f]+|0o[0-7]+|0b[01]+|0+|[1-9][0-9]*)$/i.exec(t);
  if (!m) throw new Error('invalid');
  const body = m[2].toLowerCase();
  const n = body.startsWith('0x') ? parseInt(body.slice(2), 16) : body.startsWith('0o') ? parseInt(body.slice(2), 8) : body.startsWith('0b') ? parseInt(body.slice(2), 2) : parseInt(body, 10);
  return m[1] === '-' ? -n : n;
}

function parseInt0(name: string, raw: string): number {
  try {
    return int0(raw);
  } catch {
    throw new PluginError(`can't parse ${name}=${raw} as integer`);
  }
}

interface Spec {
  start: number;
  end?: number;
  count?: number;
  stride: number;
  format: string;
}

function parse(term: string): Spec {
  const spec: Spec = { start: 1, stride: 1, format: '%d' };
  const m = SHORTCUT.exec(term);
  if (m) {
    if (m[2] !== undefined) spec.start = parseInt0('start', m[2]);
    spec.end = parseInt0('end', m[3]);
    if (m[5] !== undefined) spec.stride = parseInt0('stride', m[5]);
    if (m[7] !== undefined) spec.format = m[7];
    return spec;
  }
  const kv: Record<string, string> = parseKv(term);
  for (const k of ['start', 'end', 'count', 'stride'] as const) {
    if (kv[k] === undefined) continue;
    spec[k] = parseInt0(k, kv[k]);
    delete kv[k];
  }
  if (kv.format !== undefined) {
    spec.format = kv.format;
    delete kv.format;
  }
  const extra = Object.keys(kv);
  if (extra.length) throw new PluginError(`unrecognized arguments to with_sequence: ${pyRepr(extra)}`);
  return spec;
}

function generate(term: unknown): string[] {
  if (typeof term !== 'string') {
    throw new PluginError(`unknown error parsing with_sequence arguments: ${pyRepr(term)}. Error was: expected string or bytes-like object, got '${typeName(term)}'`);
  }
  const s = parse(term);
  if (s.count === undefined && s.end === undefined) throw new PluginError('must specify count or end in with_sequence');
  if (s.count !== undefined && s.end !== undefined) throw new PluginError("can't specify both count and end in with_sequence");
  if (s.count !== undefined) {
    if (s.count !== 0) s.end = s.start + s.count * s.stride - 1;
    else [s.start, s.end, s.stride] = [0, 0, 0];
  }
  const end = s.end as number;
  if (s.stride > 0 && end < s.start) throw new PluginError('to count backwards make stride negative');
  if (s.stride < 0 && end > s.start) throw new PluginError("to count forward don't make stride negative");
  if (s.format.split('%').length !== 2) throw new PluginError(`bad formatting string: ${s.format}`);
  if (s.stride === 0) return [];
  const out: string[] = [];
  const stop = end + (s.stride >= 0 ? 1 : -1);
  for (let i = s.start; s.stride > 0 ? i < stop : i > stop; i += s.stride) {
    try {
      out.push(printfFormat(s.format, [i]));
    } catch {
      throw new PluginError(`problem formatting ${i} with ${pyRepr(s.format)}`);
    }
  }
  return out;
}

export const sequence: LookupPlugin = {
  run: (terms) => (Array.isArray(terms) ? terms : [terms]).flatMap(generate),
};
