// File modes as Ansible reads them: YAML ints (0644 → 420), octal strings ("0644", "644") and
// symbolic chmod strings ("u+x,g-w"). Pure helpers so check mode can predict what chmod will do.

export type ModeSpec = { kind: 'octal'; value: number } | { kind: 'symbolic'; spec: string };

const SYMBOLIC_CLAUSE = /^[ugoa]*([-+=]([rwxXst]*|[ugo]))+$/;

/**
 * Interpret a `mode:` argument. Numbers are taken as the integer value of the mode (YAML 0644 is
 * 420 → 0o644), digit strings as octal. Returns a string error message for a bad mode.
 */
export function parseMode(mode: unknown): ModeSpec | string | undefined {
  if (mode === undefined || mode === null || mode === '') return undefined;
  if (typeof mode === 'number') {
    if (!Number.isInteger(mode) || mode < 0 || mode > 0o7777) return `bad mode: ${mode}`;
    return { kind: 'octal', value: mode };
  }
  const s = String(mode).trim();
  if (/^0?o?[0-7]{1,5}$/i.test(s)) {
    const v = parseInt(s.replace(/^0o/i, ''), 8);
    if (v > 0o7777) return `bad mode: ${s}`;
    return { kind: 'octal', value: v };
  }
  if (s.split(',').every((c) => SYMBOLIC_CLAUSE.test(c))) return { kind: 'symbolic', spec: s };
  return 'mode must be in octal or symbolic form';
}

/** "0644"-style rendering (Ansible's result `mode` key). */
export function formatMode(m: number): string {
  return '0' + (m & 0o7777).toString(8).padStart(3, '0');
}

/** The argument to give chmod for a spec. */
export function chmodArg(spec: ModeSpec): string {
  return spec.kind === 'octal' ? formatMode(spec.value) : spec.spec;
}

const WHO_BITS: Record<string, number> = { u: 0o4700, g: 0o2070, o: 0o1007 };

/** The permission bits `chmod spec` would leave on a file whose current mode is `current`. */
export function applyMode(spec: ModeSpec, current: number, isDir: boolean, umask = 0o022): number {
  if (spec.kind === 'octal') return spec.value;
  let mode = current & 0o7777;
  for (const clause of spec.spec.split(',')) {
    const m = /^([ugoa]*)(.*)$/.exec(clause)!;
    const useUmask = m[1] === '';
    const who = m[1] === '' || m[1].includes('a') ? 'ugo' : m[1];
    const ops = m[2].match(/[-+=][^-+=]*/g) ?? [];
    for (const op of ops) {
      const operator = op[0];
      const perms = op.slice(1);
      for (const u of who) {
        const bits = permBits(u, perms, mode, isDir, useUmask ? umask : 0);
        if (operator === '+') mode |= bits;
        else if (operator === '-') mode &= ~bits;
        else mode = (mode & ~WHO_BITS[u]) | bits;
      }
    }
  }
  return mode & 0o7777;
}

function permBits(u: string, perms: string, prev: number, isDir: boolean, umask: number): number {
  const shift = u === 'u' ? 6 : u === 'g' ? 3 : 0;
  const keep = ~umask & 0o777;
  let bits = 0;
  for (const p of perms) {
    if (p === 'r') bits |= (0o4 << shift) & keep;
    else if (p === 'w') bits |= (0o2 << shift) & keep;
    else if (p === 'x') bits |= (0o1 << shift) & keep;
    else if (p === 'X') {
      if (isDir || (prev & 0o111) !== 0) bits |= 0o1 << shift;
    } else if (p === 's') {
      if (u === 'u') bits |= 0o4000;
      if (u === 'g') bits |= 0o2000;
    } else if (p === 't') {
      if (u === 'o') bits |= 0o1000;
    } else if (p === 'u' || p === 'g' || p === 'o') {
      const src = p === 'u' ? 6 : p === 'g' ? 3 : 0;
      bits |= ((prev >> src) & 0o7) << shift;
    }
  }
  return bits;
}

/** Parse an `ls -l` mode column ("drwxr-sr-x") to type letter and permission bits. */
export function parseLsMode(s: string): { type: string; mode: number } {
  const type = s[0];
  let mode = 0;
  const triplet = (i: number, shift: number, special: number, specialChar: string) => {
    if (s[i] === 'r') mode |= 0o4 << shift;
    if (s[i + 1] === 'w') mode |= 0o2 << shift;
    const x = s[i + 2];
    if (x === 'x' || x === specialChar) mode |= 0o1 << shift;
    if (x === specialChar || x === specialChar.toUpperCase()) mode |= special;
  };
  triplet(1, 6, 0o4000, 's');
  triplet(4, 3, 0o2000, 's');
  triplet(7, 0, 0o1000, 't');
  return { type, mode };
}
