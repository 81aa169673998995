// Host patterns (`hosts:`, ad-hoc PATTERN, --limit) resolved as ansible-core 2.14 does: split on
// ',' or ':', regular terms first, then '&' intersections, then '!' exclusions; globs, ~regex,
// group-then-host matching, subscripts g[0] g[-1] g[1:3], @file limits, the implicit localhost.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { InventoryError } from '../errors/index.js';
import { AddressError, parseAddress } from './address.js';
import { LOCALHOST_NAMES, type Inventory } from './inventory.js';

const SUBSCRIPT = /^(.+)\[(?:(-?[0-9]+)|([0-9]+)([:-])([0-9]*))\]$/s;
const COLON_TERMS = /(?:[^\s:[\]]|\[[^\]]*\])+/g;

/** split_host_pattern(): a list is flattened; ',' splits; else one address, else ':' outside [...]. */
export function splitHostPattern(pattern: string | string[]): string[] {
  if (Array.isArray(pattern)) return pattern.flatMap((p) => splitHostPattern(p));
  let terms: string[];
  if (pattern.includes(',')) terms = pattern.split(',');
  else {
    try {
      parseAddress(pattern, true);
      terms = [pattern];
    } catch (e) {
      if (!(e instanceof AddressError)) throw e;
      terms = pattern.match(COLON_TERMS) ?? [];
    }
  }
  return terms.map((t) => t.trim()).filter((t) => t !== '');
}

/** order_patterns(): regular, then '&', then '!'; 'all' first when there is no regular term. */
export function orderPatterns(patterns: string[]): string[] {
  const regular: string[] = [];
  const and: string[] = [];
  const not: string[] = [];
  for (const p of patterns) {
    if (!p) continue;
    if (p[0] === '!') not.push(p);
    else if (p[0] === '&') and.push(p);
    else regular.push(p);
  }
  return [...(regular.length ? regular : ['all']), ...and, ...not];
}

/** fnmatch.translate(): '*', '?', '[seq]', '[!seq]', everything else literal; whole-string match. */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') out += '[\\s\\S]*';
    else if (c === '?') out += '[\\s\\S]';
    else if (c === '[') {
      let j = i + 1;
      if (glob[j] === '!') j++;
      if (glob[j] === ']') j++;
      while (j < glob.length && glob[j] !== ']') j++;
      if (j >= glob.length) out += '\\[';
      else {
        let body = glob.slice(i + 1, j).replace(/\\/g, '\\\\');
        i = j;
        if (body[0] === '!') body = '^' + body.slice(1);
        else if (body[0] === '^') body = '\\' + body;
        out += `[${body.replace(/\[/g, '\\[').replace(/\]/g, '\\]')}]`;
      }
    } else out += c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
  }
  try {
    return new RegExp(`^(?:${out})$`);
  } catch {
    throw new InventoryError(`Invalid host list pattern: ${glob}`);
  }
}

/** A `~regex` term: Python re.match, anchored at the start only. */
function regexTerm(src: string): RegExp {
  let flags = '';
  const inline = /^\(\?([aiLmsux]+)\)/.exec(src);
  if (inline) {
    if (inline[1].includes('i')) flags += 'i';
    if (inline[1].includes('s')) flags += 's';
    if (inline[1].includes('m')) flags += 'm';
    src = src.slice(inline[0].length);
  }
  const js = src.replace(/\(\?P<([A-Za-z_]\w*)>/g, '(?<$1>').replace(/\(\?P=([A-Za-z_]\w*)\)/g, '\\k<$1>');
  try {
    return new RegExp(`^(?:${js})`, flags + 'u');
  } catch {
    try {
      return new RegExp(`^(?:${js})`, flags);
    } catch {
      throw new InventoryError(`Invalid host list pattern: ~${src}`);
    }
  }
}

export interface PatternResult {
  hosts: string[];
  warnings: string[];
}

class Matcher {
  readonly warnings: string[] = [];
  constructor(private readonly inv: Inventory) {}

  private warn(msg: string): void {
    if (!this.warnings.includes(msg)) this.warnings.push(msg);
  }

  /** _enumerate_matches(): groups first, then host names for globs/regexes or when no group matched. */
  private enumerate(pattern: string): string[] {
    const re = pattern[0] === '~' ? regexTerm(pattern.slice(1)) : globToRegExp(pattern);
    const test = (name: string) => re.test(name);
    const results: string[] = [];
    const groups = [...this.inv.groups.keys()].filter(test);
    for (const g of groups) results.push(...this.inv.hostsOfGroup(g));
    if (!groups.length || pattern[0] === '~' || /[.?*[]/.test(pattern)) {
      for (const h of this.inv.hosts.keys()) if (test(h)) results.push(h);
    }
    if (!results.length && LOCALHOST_NAMES.includes(pattern)) {
      const implicit = this.inv.getHost(pattern);
      if (implicit) results.push(implicit.name);
    }
    if (!results.length && !groups.length && pattern !== 'all') this.warn(`Could not match supplied host pattern, ignoring: ${pattern}`);
    return results;
  }

  /** _match_one_pattern(): strip &/!, split off a subscript, enumerate, apply the subscript. */
  matchOne(term: string): string[] {
    let pattern = term[0] === '&' || term[0] === '!' ? term.slice(1) : term;
    let sub: [number, number | null] | null = null;
    if (pattern[0] !== '~') {
      const m = SUBSCRIPT.exec(pattern);
      if (m) {
        pattern = m[1];
        if (m[2] !== undefined) sub = [parseInt(m[2], 10), null];
        else {
          sub = [parseInt(m[3], 10), m[5] ? parseInt(m[5], 10) : -1];
          if (m[4] === '-') this.warn('Use [x:y] inclusive subscripts instead of [x-y] which has been removed');
        }
      }
    }
    if (!pattern) return [];
    const hosts = this.enumerate(pattern);
    if (!hosts.length || !sub) return hosts;
    const start = sub[0];
    let end = sub[1];
    if (end) {
      if (end === -1) end = hosts.length - 1;
      const from = start < 0 ? Math.max(0, hosts.length + start) : start;
      return hosts.slice(from, end + 1);
    }
    const idx = start < 0 ? hosts.length + start : start;
    if (idx < 0 || idx >= hosts.length) throw new InventoryError(`No hosts matched the subscripted pattern '${term.replace(/^[&!]/, '')}'`);
    return [hosts[idx]];
  }

  /** _evaluate_patterns(): union of regular terms, then intersections, then exclusions. */
  evaluate(terms: string[]): string[] {
    let hosts: string[] = [];
    for (const p of orderPatterns(terms)) {
      if (this.inv.hosts.has(p)) {
        hosts.push(p);
        continue;
      }
      const that = this.matchOne(p);
      if (p[0] === '!') {
        const drop = new Set(that);
        hosts = hosts.filter((h) => !drop.has(h));
      } else if (p[0] === '&') {
        const keep = new Set(that);
        hosts = hosts.filter((h) => keep.has(h));
      } else {
        const existing = new Set(hosts);
        for (const h of that) if (!existing.has(h)) hosts.push(h);
      }
    }
    return [...new Set(hosts)];
  }
}

/** Hosts matched by a pattern, in Ansible's order; warnings are returned, not printed. */
export function resolvePattern(inv: Inventory, pattern: string | string[], opts: { limit?: string; cwd?: string } = {}): PatternResult {
  const m = new Matcher(inv);
  let hosts = m.evaluate(splitHostPattern(pattern));
  if (opts.limit !== undefined) {
    const allowed = new Set(m.evaluate(limitTerms(opts.limit, opts.cwd)));
    hosts = hosts.filter((h) => allowed.has(h));
  }
  if (!hosts.length && typeof pattern === 'string' && LOCALHOST_NAMES.includes(pattern)) hosts = [pattern];
  return { hosts, warnings: m.warnings };
}

/** --limit terms: split like a pattern; '@file' reads one pattern per line. */
export function limitTerms(limit: string, cwd = process.cwd()): string[] {
  const out: string[] = [];
  for (const t of splitHostPattern(limit)) {
    if (t[0] !== '@') {
      out.push(t);
      continue;
    }
    const file = resolve(cwd, t.slice(1));
    if (!existsSync(file)) throw new InventoryError(`Unable to find limit file ${t.slice(1)}`);
    if (!statSync(file).isFile()) throw new InventoryError(`Limit starting with "@" must be a file, not a directory: ${t.slice(1)}`);
    out.push(...readFileSync(file, 'utf8').split('\n').map((l) => l.trim()));
  }
  return out;
}

/** Restrict already-selected hosts to a --limit, keeping their order. */
/** `opts.warnings` receives what matching the limit warned about (a term that matched nothing). */
export function applyLimit(inv: Inventory, hosts: string[], limit: string | undefined, opts: { cwd?: string; warnings?: string[] } = {}): string[] {
  if (limit === undefined) return hosts;
  const m = new Matcher(inv);
  const allowed = new Set(m.evaluate(limitTerms(limit, opts.cwd)));
  opts.warnings?.push(...m.warnings);
  return hosts.filter((h) => allowed.has(h));
}
