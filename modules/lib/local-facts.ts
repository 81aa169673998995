// ansible_local: the local facts of ansible-core 2.14's LocalFactCollector, from the
// `local_fact=` lines of the facts script (lib/facts-script.ts): every *.fact file of fact_path,
// sorted; an executable one is run and its output used, others are read; the text is JSON, else
// INI (configparser: sections of options); failures become the fact's value and a warning, with
// the collector's texts. A %-interpolation error fails the collector: no ansible_local at all.
import { ConfigParser } from '../../engine/template/lookups/configparser.js';

/** One `local_fact=` line: base64 name, kind (s: no stat, x: executed, r: read), rc, out, err. */
function decode(field: string | undefined): string {
  return field === undefined || field === '-' ? '' : Buffer.from(field, 'base64').toString('utf8');
}

/** An error that escapes the collector: 2.14 then reports no ansible_local at all. */
class CollectorFailure extends Error {}

/** JSON, else configparser's sections as dictionaries; a string when neither parses. */
function parseFact(out: string, fn: string, warn: (m: string) => void): unknown {
  try {
    return JSON.parse(out) as unknown;
  } catch {
    // not JSON: configparser
  }
  const cp = new ConfigParser({ allowNoValue: false, caseSensitive: false });
  try {
    cp.read(out);
  } catch {
    const fact = `error loading facts as JSON or ini - please check content: ${fn}`;
    warn(fact);
    return fact;
  }
  try {
    const fact: Record<string, Record<string, string | null | undefined>> = {};
    for (const sect of cp.sectionNames()) {
      fact[sect] = {};
      for (const [opt] of cp.items(sect)) fact[sect][opt] = cp.get(sect, opt);
    }
    return fact;
  } catch (e) {
    // an interpolation error is raised inside the collector's `except ValueError:` handler, so
    // its catch-all does not see it: the whole local collector fails
    throw new CollectorFailure((e as Error).message);
  }
}

/** The ansible_local dictionary from the script's `local_fact` lines; undefined when the
 *  collector fails as a whole. */
export function localFacts(lines: string[], warn: (m: string) => void): Record<string, unknown> | undefined {
  const entries = lines.map((l) => l.split(' ')).map(([name, kind, rc, out, err]) => ({ fn: decode(name), kind, rc, out: decode(out), err: decode(err) }));
  // glob's order: sorted by name, as Python sorts str
  entries.sort((a, b) => (a.fn < b.fn ? -1 : a.fn > b.fn ? 1 : 0));
  const local: Record<string, unknown> = {};
  for (const e of entries) {
    const base = e.fn.slice(e.fn.lastIndexOf('/') + 1).replace(/\.fact/g, '');
    let failed: string | undefined;
    if (e.kind === 's') failed = `Could not stat fact (${e.fn}): [Errno 2] No such file or directory: '${e.fn}'`;
    else if (e.kind === 'x' && e.rc !== '0') failed = `Failure executing fact script (${e.fn}), rc: ${e.rc}, err: ${e.err}`;
    if (failed !== undefined) {
      local[base] = failed;
      warn(failed);
      continue;
    }
    try {
      local[base] = parseFact(e.out, e.fn, warn);
    } catch (err) {
      if (err instanceof CollectorFailure) return undefined;
      throw err;
    }
  }
  return local;
}
