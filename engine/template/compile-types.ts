// type_debug's view of text. Ansible's strings are str subclasses (AnsibleUnsafeText for unsafe
// data, NativeJinjaText from to_json and friends, NativeJinjaUnsafeText for both); drover's are
// plain JS strings, so the type is found from where the text was read: a variable stored
// unsafe, an item of an unsafe container (a registered result), a lookup, a string-type filter.
import type { Expr } from './compile-expr.js';
import type { Node } from './parser.js';
import { isUnsafeValue } from './python.js';
import { filters, shortName } from './registry.js';
import { NOT_FOUND, getAttr, getItem, lookupLocal, type Frame, type Runtime } from './runtime.js';

export type TypedExpr = (rt: Runtime, f: Frame) => { value: unknown; type?: string };

type Origin = (rt: Runtime, f: Frame) => { value: unknown; unsafe: boolean };

/**
 * A value and whether it was read out of unsafe data: wrap_var is recursive in Ansible, so an
 * item anywhere below a registered result or an unsafe variable is unsafe text.
 */
function compileOrigin(n: Node, plain: Expr, compile: (n: Node) => Expr): Origin {
  if (n.typename === 'Symbol') {
    const name: string = n.value;
    return (rt, f) => {
      const value = plain(rt, f);
      return { value, unsafe: isUnsafeValue(value) || (lookupLocal(f, name) === NOT_FOUND && rt.isUnsafeVar(name)) };
    };
  }
  if (n.typename === 'LookupVal' && n.val.typename !== 'Slice') {
    const target = compileOrigin(n.target, compile(n.target), compile);
    const key = compile(n.val);
    const get = n.dot ? getAttr : getItem;
    return (rt, f) => {
      const t = target(rt, f);
      const value = get(t.value, key(rt, f), '');
      return { value, unsafe: t.unsafe || isUnsafeValue(t.value) };
    };
  }
  return (rt, f) => {
    const value = plain(rt, f);
    return { value, unsafe: isUnsafeValue(value) };
  };
}

/** `plain` evaluates `n` as usual; the result also names the text's str subclass when known. */
export function compileTyped(n: Node, plain: Expr, compile: (n: Node) => Expr): TypedExpr {
  switch (n.typename) {
    case 'Symbol': {
      const name: string = n.value;
      return (rt, f) => {
        const value = plain(rt, f);
        if (typeof value !== 'string' || lookupLocal(f, name) !== NOT_FOUND) return { value };
        return { value, type: rt.textTypeOf(name) };
      };
    }
    case 'LookupVal': {
      if (n.val.typename === 'Slice') break;
      const origin = compileOrigin(n, plain, compile);
      return (rt, f) => {
        const { value, unsafe } = origin(rt, f);
        return { value, type: typeof value === 'string' && unsafe ? 'AnsibleUnsafeText' : undefined };
      };
    }
    case 'FunCall': {
      if (n.name.typename !== 'Symbol' || !['lookup', 'query', 'q'].includes(n.name.value)) break;
      return (rt, f) => {
        const before = rt.unsafe;
        rt.unsafe = false;
        rt.nativeResult = undefined;
        const value = plain(rt, f);
        const unsafe = rt.unsafe;
        rt.unsafe = before || unsafe;
        if (typeof value !== 'string') return { value };
        const native = rt.nativeResult === value;
        return { value, type: unsafe ? (native ? 'NativeJinjaUnsafeText' : 'AnsibleUnsafeText') : native ? 'NativeJinjaText' : undefined };
      };
    }
    case 'Filter': {
      if (!filters.get(shortName(n.name.value))?.nativeText) break;
      return (rt, f) => {
        const value = plain(rt, f);
        return { value, type: typeof value === 'string' ? 'NativeJinjaText' : undefined };
      };
    }
  }
  return (rt, f) => ({ value: plain(rt, f) });
}

