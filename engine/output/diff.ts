// `--diff` output as Ansible's callbacks print it (CallbackBase._get_diff): each before/after
// pair as Python difflib's unified diff (3 lines of context, headers "before: X"/"after: X"),
// dict-valued sides serialised as sorted JSON with an indent of 4, plus the `prepared` text.
// Pure: the plain reporter prints what this returns before the host's result line.

type DiffEntry = Record<string, unknown>;

/**
 * difflib.SequenceMatcher(None, a, b).get_matching_blocks() as [i, j] line pairs, in order:
 * the longest matching run first, then recursively left and right of it (not a plain LCS, so
 * hunks pair lines exactly as Python does), with its autojunk rule for b of 200+ lines.
 */
function matches(a: string[], b: string[]): [number, number][] {
  const b2j = new Map<string, number[]>();
  b.forEach((line, j) => {
    const list = b2j.get(line);
    if (list) list.push(j);
    else b2j.set(line, [j]);
  });
  if (b.length >= 200) {
    const ntest = Math.floor(b.length / 100) + 1;
    for (const [line, list] of [...b2j]) if (list.length > ntest) b2j.delete(line);
  }
  const longest = (alo: number, ahi: number, blo: number, bhi: number): [number, number, number] => {
    let besti = alo;
    let bestj = blo;
    let bestsize = 0;
    let j2len = new Map<number, number>();
    for (let i = alo; i < ahi; i++) {
      const next = new Map<number, number>();
      for (const j of b2j.get(a[i]) ?? []) {
        if (j < blo) continue;
        if (j >= bhi) break;
        const k = (j2len.get(j - 1) ?? 0) + 1;
        next.set(j, k);
        if (k > bestsize) {
          besti = i - k + 1;
          bestj = j - k + 1;
          bestsize = k;
        }
      }
      j2len = next;
    }
    while (besti > alo && bestj > blo && a[besti - 1] === b[bestj - 1]) {
      besti--;
      bestj--;
      bestsize++;
    }
    while (besti + bestsize < ahi && bestj + bestsize < bhi && a[besti + bestsize] === b[bestj + bestsize]) bestsize++;
    return [besti, bestj, bestsize];
  };
  const blocks: [number, number, number][] = [];
  const queue: [number, number, number, number][] = [[0, a.length, 0, b.length]];
  while (queue.length) {
    const [alo, ahi, blo, bhi] = queue.pop() as [number, number, number, number];
    const [i, j, k] = longest(alo, ahi, blo, bhi);
    if (!k) continue;
    blocks.push([i, j, k]);
    if (alo < i && blo < j) queue.push([alo, i, blo, j]);
    if (i + k < ahi && j + k < bhi) queue.push([i + k, ahi, j + k, bhi]);
  }
  blocks.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const out: [number, number][] = [];
  for (const [i, j, k] of blocks) for (let n = 0; n < k; n++) out.push([i + n, j + n]);
  return out;
}

type Op = [tag: 'equal' | 'replace' | 'delete' | 'insert', i1: number, i2: number, j1: number, j2: number];

/** difflib.SequenceMatcher.get_opcodes over the matching lines. */
function opcodes(a: string[], b: string[]): Op[] {
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  const blocks = matches(a, b);
  blocks.push([a.length, b.length]);
  for (let k = 0; k < blocks.length; ) {
    const [ai, bj] = blocks[k];
    if (i < ai && j < bj) ops.push(['replace', i, ai, j, bj]);
    else if (i < ai) ops.push(['delete', i, ai, j, bj]);
    else if (j < bj) ops.push(['insert', i, ai, j, bj]);
    // a run of consecutive matches is one equal block
    let n = 0;
    while (k + n < blocks.length - 1 && blocks[k + n][0] === ai + n && blocks[k + n][1] === bj + n) n++;
    if (n) ops.push(['equal', ai, ai + n, bj, bj + n]);
    i = ai + n;
    j = bj + n;
    k += n || 1;
  }
  return ops;
}

/** difflib's get_grouped_opcodes(n). */
function grouped(ops: Op[], n: number): Op[][] {
  const codes: Op[] = ops.length ? ops.map((o) => [...o] as Op) : [['equal', 0, 1, 0, 1]];
  if (codes[0][0] === 'equal') {
    const [t, i1, i2, j1, j2] = codes[0];
    codes[0] = [t, Math.max(i1, i2 - n), i2, Math.max(j1, j2 - n), j2];
  }
  const last = codes.length - 1;
  if (codes[last][0] === 'equal') {
    const [t, i1, i2, j1, j2] = codes[last];
    codes[last] = [t, i1, Math.min(i2, i1 + n), j1, Math.min(j2, j1 + n)];
  }
  const groups: Op[][] = [];
  let group: Op[] = [];
  for (const op of codes) {
    const [t, , i2, , j2] = op;
    let i1 = op[1];
    let j1 = op[3];
    if (t === 'equal' && i2 - i1 > 2 * n) {
      group.push([t, i1, Math.min(i2, i1 + n), j1, Math.min(j2, j1 + n)]);
      groups.push(group);
      group = [];
      i1 = Math.max(i1, i2 - n);
      j1 = Math.max(j1, j2 - n);
    }
    group.push([t, i1, i2, j1, j2]);
  }
  if (group.length && !(group.length === 1 && group[0][0] === 'equal')) groups.push(group);
  return groups;
}

function range(start: number, stop: number): string {
  let begin = start + 1;
  const length = stop - start;
  if (length === 1) return String(begin);
  if (!length) begin -= 1;
  return `${begin},${length}`;
}

/** Python's str.splitlines(True) for \n, \r\n and \r line ends. */
function splitKeep(text: string): string[] {
  return text.match(/[^\r\n]*(\r\n|\r|\n)|[^\r\n]+$/g) ?? [];
}

/** difflib.unified_diff(a, b, fromfile, tofile, n=3), lines joined. */
export function unifiedDiff(a: string[], b: string[], fromfile: string, tofile: string, n = 3): string {
  const out: string[] = [];
  for (const group of grouped(opcodes(a, b), n)) {
    if (!out.length) out.push(`--- ${fromfile}\n`, `+++ ${tofile}\n`);
    const first = group[0];
    const lastOp = group[group.length - 1];
    out.push(`@@ -${range(first[1], lastOp[2])} +${range(first[3], lastOp[4])} @@\n`);
    for (const [t, i1, i2, j1, j2] of group) {
      if (t === 'equal') {
        for (const l of a.slice(i1, i2)) out.push(' ' + l);
        continue;
      }
      if (t === 'replace' || t === 'delete') for (const l of a.slice(i1, i2)) out.push('-' + l);
      if (t === 'replace' || t === 'insert') for (const l of b.slice(j1, j2)) out.push('+' + l);
    }
  }
  return out.join('');
}

function sortedJson(v: unknown): string {
  const sort = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(sort);
    if (x && typeof x === 'object') return Object.fromEntries(Object.keys(x).sort().map((k) => [k, sort((x as DiffEntry)[k])]));
    return x;
  };
  return JSON.stringify(sort(v), null, 4) + '\n';
}

/** CallbackBase._get_diff: the text Ansible prints for a result's `diff` (empty when nothing differs). */
export function formatDiff(diff: unknown): string {
  const list = Array.isArray(diff) ? diff : [diff];
  const ret: string[] = [];
  for (const d of list as DiffEntry[]) {
    if (!d || typeof d !== 'object') continue;
    if ('dst_binary' in d) ret.push('diff skipped: destination file appears to be binary\n');
    if ('src_binary' in d) ret.push('diff skipped: source file appears to be binary\n');
    if ('dst_larger' in d) ret.push(`diff skipped: destination file size is greater than ${String(d.dst_larger)}\n`);
    if ('src_larger' in d) ret.push(`diff skipped: source file size is greater than ${String(d.src_larger)}\n`);
    if ('before' in d && 'after' in d) {
      const side = (v: unknown) => (v && typeof v === 'object' ? sortedJson(v) : v === null || v === undefined ? '' : String(v));
      const lines = (text: string) => {
        const ls = splitKeep(text);
        if (ls.length && !ls[ls.length - 1].endsWith('\n')) ls[ls.length - 1] += '\n\\ No newline at end of file\n';
        return ls;
      };
      const bh = 'before_header' in d ? `before: ${String(d.before_header)}` : 'before';
      const ah = 'after_header' in d ? `after: ${String(d.after_header)}` : 'after';
      const text = unifiedDiff(lines(side(d.before)), lines(side(d.after)), bh, ah);
      if (text) ret.push(text, '\n');
    }
    if ('prepared' in d) ret.push(String(d.prepared));
  }
  return ret.join('');
}
