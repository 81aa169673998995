// Python's ast.literal_eval for rendered text: Ansible turns a rendered "[1, 2]" or "{'a': 1}"
// or "True" back into data. Only literals are accepted; anything else leaves the string as is.
import { parseExpression, type Node } from './parser.js';
import { tuple } from './python.js';

const FAIL = Symbol('not a literal');

function lit(n: Node): unknown {
  switch (n.typename) {
    case 'Literal':
      // lower-case true/false/none are names in Python, not literals
      return typeof n.value === 'string' || typeof n.value === 'number' ? n.value : FAIL;
    case 'Symbol':
      return n.value === 'True' ? true : n.value === 'False' ? false : n.value === 'None' ? null : FAIL;
    case 'Neg':
    case 'Pos': {
      const v = lit(n.target);
      return typeof v === 'number' ? (n.typename === 'Neg' ? -v : v) : FAIL;
    }
    case 'Array':
    case 'Group': {
      if (n.typename === 'Group' && !n.isTuple) return lit(n.children[0]);
      const out: unknown[] = [];
      for (const c of n.children) {
        const v = lit(c);
        if (v === FAIL) return FAIL;
        out.push(v);
      }
      return n.typename === 'Group' ? tuple(out) : out;
    }
    case 'Dict': {
      const out: Record<string, unknown> = {};
      for (const pair of n.children) {
        const k = lit(pair.key);
        const v = lit(pair.value);
        if (k === FAIL || v === FAIL || (k !== null && typeof k === 'object')) return FAIL;
        out[typeof k === 'boolean' ? (k ? 'True' : 'False') : String(k)] = v;
      }
      return out;
    }
    default:
      return FAIL;
  }
}

/** The value of a Python literal, or `undefined` when `s` is not one. */
export function literalEval(s: string): unknown {
  let node: Node;
  try {
    node = parseExpression(s);
  } catch {
    return undefined;
  }
  const v = lit(node);
  return v === FAIL ? undefined : v;
}
