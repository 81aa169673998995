// The csvfile lookup: the first row of a CSV/TSV file whose first field is the key, read as
// Python's csv module (excel dialect, non-strict) reads it, with ansible-core 2.14's inline
// `key file=... delimiter=...` options and error texts.
import { parseKv } from '../../playbook/splitter.js';
import { pyStr } from '../python.js';
import { findInSearchPath, readText } from './common.js';
import { pyInt, resolveOptions } from './options.js';
import { PluginError, type LookupPlugin } from './types.js';

/** csv.reader(text, delimiter=d): rows of fields; quotes double to escape, stray text kept. */
export function* csvRows(text: string, delimiter: string): Generator<string[]> {
  let row: string[] = [];
  let field = '';
  type State = 'record' | 'field' | 'in' | 'quoted' | 'quote' | 'crnl';
  let state: State = 'record';
  const save = () => {
    row.push(field);
    field = '';
  };
  for (const c of text) {
    const nl = c === '\n' || c === '\r';
    if (state === 'crnl') {
      if (nl) continue;
      state = 'record';
    }
    if (state === 'record') {
      if (nl) {
        state = 'crnl';
        yield [];
        continue;
      }
      state = 'field';
    }
    switch (state) {
      case 'field':
      case 'in':
        if (nl) {
          save();
          yield row;
          row = [];
          state = 'crnl';
        } else if (c === delimiter) {
          save();
          state = 'field';
        } else if (c === '"' && state === 'field') state = 'quoted';
        else {
          field += c;
          state = 'in';
        }
        break;
      case 'quoted':
        if (c === '"') state = 'quote';
        else field += c;
        break;
      case 'quote':
        if (c === '"') {
          field += c;
          state = 'quoted';
        } else if (c === delimiter) {
          save();
          state = 'field';
        } else if (nl) {
          save();
          yield row;
          row = [];
          state = 'crnl';
        } else {
          field += c;
          state = 'in';
        }
        break;
    }
  }
  if (state !== 'record' && state !== 'crnl') {
    save();
    yield row;
  }
}

export const csvfile: LookupPlugin = {
  options: { col: { default: '1' }, default: {}, delimiter: { default: 'TAB' }, file: { default: 'ansible.csv' }, encoding: { default: 'utf-8' } },
  run(terms, call) {
    const params = resolveOptions('csvfile', this.options!, call.kwargs);
    const out: unknown[] = [];
    for (const t of terms as unknown[]) {
      const kv = parseKv(pyStr(t));
      if (kv._raw_params === undefined) throw new PluginError('Search key is required but was not found');
      for (const [k, v] of Object.entries(kv)) {
        if (k === '_raw_params') continue;
        if (!(k in params)) throw new PluginError(`${k} is not a valid option`);
        params[k] = v;
      }
      if (params.delimiter === 'TAB') params.delimiter = '\t';
      const path = findInSearchPath(call, 'files', pyStr(params.file));
      const value = readCsv(path, kv._raw_params, pyStr(params.delimiter), pyStr(params.encoding), params.default, params.col);
      if (value !== null && value !== undefined) out.push(value);
    }
    return out;
  },
};

function readCsv(path: string | undefined, key: string, delimiter: string, encoding: string, dflt: unknown, col: unknown): unknown {
  try {
    // open(to_bytes(None)) opens a file named "None"
    if (!path) throw new Error("[Errno 2] No such file or directory: b'None'");
    if ([...delimiter].length !== 1) throw new Error('"delimiter" must be a 1-character string');
    for (const row of csvRows(readText(path, encoding), delimiter)) {
      if (row.length && row[0] === key) {
        const i = pyInt(col);
        const at = i < 0 ? row.length + i : i;
        if (at < 0 || at >= row.length) throw new Error('list index out of range');
        return row[at];
      }
    }
  } catch (e) {
    throw new PluginError(`csvfile: ${(e as Error).message}`);
  }
  return dflt;
}
