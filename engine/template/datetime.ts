// Python datetime/timedelta as far as playbooks use them: `to_datetime` parsing, `now()`,
// subtraction giving `.days` / `.seconds` / `.total_seconds()`, and strftime formatting.
import { PyCallable, type HasPyAttrs } from './runtime.js';
import { EvalError } from './undefined.js';

const DAY_MS = 86_400_000;
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const p2 = (n: number): string => String(n).padStart(2, '0');

/** A fixed UTC offset (minutes east) and its name, for %z / %Z; naive datetimes have none. */
export interface Zone {
  offset: number;
  name: string;
}

/** ISO 8601 week-numbering year and week of the wall-clock date `d`. */
function isoWeek(d: Date): [number, number] {
  const day = (d.getUTCDay() + 6) % 7;
  const thursday = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day + 3));
  const year = thursday.getUTCFullYear();
  return [year, 1 + Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * DAY_MS))];
}

/**
 * strftime over the UTC fields of `d` (a wall-clock time), with glibc's directives in the C locale.
 * `micro` is given for datetime.strftime (%f); time.strftime leaves %f alone, as glibc does.
 */
export function strftime(d: Date, fmt: string, micro: number | null = 0, zone?: Zone): string {
  const yday = Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / DAY_MS);
  const wday = d.getUTCDay();
  const h12 = d.getUTCHours() % 12 || 12;
  const one = (c: string): string | undefined => {
    switch (c) {
      case 'Y': return String(d.getUTCFullYear());
      case 'y': return p2(d.getUTCFullYear() % 100);
      case 'C': return p2(Math.floor(d.getUTCFullYear() / 100));
      case 'm': return p2(d.getUTCMonth() + 1);
      case 'd': return p2(d.getUTCDate());
      case 'e': return String(d.getUTCDate()).padStart(2);
      case 'H': return p2(d.getUTCHours());
      case 'k': return String(d.getUTCHours()).padStart(2);
      case 'I': return p2(h12);
      case 'l': return String(h12).padStart(2);
      case 'M': return p2(d.getUTCMinutes());
      case 'S': return p2(d.getUTCSeconds());
      case 'f': return micro === null ? undefined : String(micro).padStart(6, '0');
      case 'p': return d.getUTCHours() < 12 ? 'AM' : 'PM';
      case 'P': return d.getUTCHours() < 12 ? 'am' : 'pm';
      case 'b': case 'h': return MONTHS[d.getUTCMonth()].slice(0, 3);
      case 'B': return MONTHS[d.getUTCMonth()];
      case 'a': return DAYS[wday].slice(0, 3);
      case 'A': return DAYS[wday];
      case 'w': return String(wday);
      case 'u': return String(wday || 7);
      case 'j': return String(yday + 1).padStart(3, '0');
      case 'U': return p2(Math.floor((yday + 7 - wday) / 7));
      case 'W': return p2(Math.floor((yday + 7 - ((wday + 6) % 7)) / 7));
      case 'V': return p2(isoWeek(d)[1]);
      case 'G': return String(isoWeek(d)[0]);
      case 'g': return p2(isoWeek(d)[0] % 100);
      case 's': return String(Math.floor((d.getTime() - (zone?.offset ?? 0) * 60_000) / 1000));
      case 'F': return `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}`;
      case 'T': return `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
      case 'R': return `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}`;
      case 'r': return `${p2(h12)}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} ${d.getUTCHours() < 12 ? 'AM' : 'PM'}`;
      case 'D': case 'x': return `${p2(d.getUTCMonth() + 1)}/${p2(d.getUTCDate())}/${p2(d.getUTCFullYear() % 100)}`;
      case 'X': return `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
      case 'c': return `${DAYS[wday].slice(0, 3)} ${MONTHS[d.getUTCMonth()].slice(0, 3)} ${String(d.getUTCDate()).padStart(2)} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
      case 'z': {
        if (!zone) return '';
        const a = Math.abs(zone.offset);
        return `${zone.offset < 0 ? '-' : '+'}${p2(Math.floor(a / 60))}${p2(a % 60)}`;
      }
      case 'Z': return zone ? zone.name : '';
      case 'n': return '\n';
      case 't': return '\t';
      case '%': return '%';
      default: return undefined;
    }
  };
  return fmt.replace(/%([a-zA-Z%])/g, (m, c: string) => one(c) ?? m);
}

/** time.strftime(fmt, time.localtime(secs)) or time.gmtime(secs): the `strftime` filter. */
export function timeStrftime(fmt: string, secs: number, utc: boolean): string {
  const ms = Math.floor(secs) * 1000;
  if (utc) return strftime(new Date(ms), fmt, null, { offset: 0, name: 'GMT' });
  const offset = -new Date(ms).getTimezoneOffset();
  const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const name = offset === 0 && /^(Etc\/)?(UTC|UCT|Universal|Zulu)$/.test(tz) ? 'UTC'
    : new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(new Date(ms)).find((x) => x.type === 'timeZoneName')?.value ?? '';
  return strftime(new Date(ms + offset * 60_000), fmt, null, { offset, name });
}

export class PyTimedelta implements HasPyAttrs {
  constructor(readonly ms: number) {}
  valueOf(): number {
    return this.ms;
  }
  pyAttr(name: string): unknown {
    const days = Math.floor(this.ms / DAY_MS);
    const rest = this.ms - days * DAY_MS;
    switch (name) {
      case 'days': return days;
      case 'seconds': return Math.floor(rest / 1000);
      case 'microseconds': return Math.round((rest % 1000) * 1000);
      case 'total_seconds': return new PyCallable('total_seconds', () => this.ms / 1000);
      default: return undefined;
    }
  }
  pyAdd(o: unknown): unknown {
    if (o instanceof PyTimedelta) return new PyTimedelta(this.ms + o.ms);
    if (o instanceof PyDatetime) return o.pyAdd(this);
    throw new EvalError('unsupported operand type(s) for +: timedelta');
  }
  pySub(o: unknown): unknown {
    if (o instanceof PyTimedelta) return new PyTimedelta(this.ms - o.ms);
    throw new EvalError('unsupported operand type(s) for -: timedelta');
  }
  pyEq(o: unknown): boolean {
    return o instanceof PyTimedelta && o.ms === this.ms;
  }
  toString(): string {
    const days = Math.floor(this.ms / DAY_MS);
    let rest = this.ms - days * DAY_MS;
    const h = Math.floor(rest / 3_600_000);
    rest -= h * 3_600_000;
    const m = Math.floor(rest / 60_000);
    rest -= m * 60_000;
    const s = Math.floor(rest / 1000);
    const us = Math.round((rest - s * 1000) * 1000);
    const clock = `${h}:${p2(m)}:${p2(s)}${us ? '.' + String(us).padStart(6, '0') : ''}`;
    return days ? `${days} day${Math.abs(days) === 1 ? '' : 's'}, ${clock}` : clock;
  }
  pyRepr(): string {
    return `datetime.timedelta(milliseconds=${this.ms})`;
  }
}

export class PyDatetime implements HasPyAttrs {
  /** Milliseconds since the epoch of the naive wall-clock time, read as UTC. */
  constructor(readonly ms: number) {}
  static fromDate(d: Date, utc: boolean): PyDatetime {
    if (utc) return new PyDatetime(d.getTime());
    return new PyDatetime(Date.UTC(d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds(), d.getMilliseconds()));
  }
  valueOf(): number {
    return this.ms;
  }
  private get date(): Date {
    return new Date(this.ms);
  }
  pyAttr(name: string): unknown {
    const d = this.date;
    switch (name) {
      case 'year': return d.getUTCFullYear();
      case 'month': return d.getUTCMonth() + 1;
      case 'day': return d.getUTCDate();
      case 'hour': return d.getUTCHours();
      case 'minute': return d.getUTCMinutes();
      case 'second': return d.getUTCSeconds();
      case 'microsecond': return d.getUTCMilliseconds() * 1000;
      case 'strftime': return new PyCallable('strftime', (a) => strftime(d, String(a[0]), d.getUTCMilliseconds() * 1000));
      case 'isoformat': return new PyCallable('isoformat', (a) => this.iso(a[0] === undefined ? 'T' : String(a[0])));
      case 'timestamp': return new PyCallable('timestamp', () => this.ms / 1000);
      case 'weekday': return new PyCallable('weekday', () => (d.getUTCDay() + 6) % 7);
      case 'date': return new PyCallable('date', () => new PyDatetime(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate())));
      default: return undefined;
    }
  }
  pyAdd(o: unknown): unknown {
    if (o instanceof PyTimedelta) return new PyDatetime(this.ms + o.ms);
    throw new EvalError('unsupported operand type(s) for +: datetime');
  }
  pySub(o: unknown): unknown {
    if (o instanceof PyDatetime) return new PyTimedelta(this.ms - o.ms);
    if (o instanceof PyTimedelta) return new PyDatetime(this.ms - o.ms);
    throw new EvalError('unsupported operand type(s) for -: datetime');
  }
  pyEq(o: unknown): boolean {
    return o instanceof PyDatetime && o.ms === this.ms;
  }
  private iso(sep: string): string {
    const d = this.date;
    const us = d.getUTCMilliseconds();
    return strftime(d, `%Y-%m-%d${sep}%H:%M:%S`) + (us ? '.' + String(us * 1000).padStart(6, '0') : '');
  }
  toString(): string {
    return this.iso(' ');
  }
  pyRepr(): string {
    const d = this.date;
    const parts = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()];
    if (d.getUTCMilliseconds()) parts.push(d.getUTCMilliseconds() * 1000);
    return `datetime.datetime(${parts.join(', ')})`;
  }
}

/** Python strptime for the common directives. */
export function strptime(s: string, fmt: string): PyDatetime {
  const f: Record<string, number> = { Y: 1900, m: 1, d: 1, H: 0, M: 0, S: 0, f: 0 };
  let pm: boolean | undefined;
  let re = '^';
  const order: string[] = [];
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i];
    if (c !== '%') {
      re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/, '\\s+');
      continue;
    }
    const d = fmt[++i];
    const pats: Record<string, string> = { Y: '(\\d{4})', y: '(\\d{2})', m: '(\\d{1,2})', d: '(\\d{1,2})', H: '(\\d{1,2})', I: '(\\d{1,2})', M: '(\\d{1,2})', S: '(\\d{1,2})', f: '(\\d{1,6})', b: '([A-Za-z]{3})', B: '([A-Za-z]+)', p: '(AM|PM|am|pm)', j: '(\\d{1,3})', z: '([+-]\\d{4}|Z)?', a: '[A-Za-z]{3}', A: '[A-Za-z]+', '%': '%' };
    if (!(d in pats)) throw new EvalError(`'${d}' is a bad directive in format '%${d}'`);
    re += pats[d];
    if (pats[d].startsWith('(')) order.push(d);
  }
  const m = new RegExp(re + '$').exec(s);
  if (!m) throw new EvalError(`time data '${s}' does not match format '${fmt}'`);
  order.forEach((d, i) => {
    const v = m[i + 1];
    if (v === undefined) return;
    if (d === 'b' || d === 'B') f.m = MONTHS.findIndex((x) => x.toLowerCase().startsWith(v.toLowerCase().slice(0, 3))) + 1;
    else if (d === 'p') pm = v.toLowerCase() === 'pm';
    else if (d === 'y') f.Y = 2000 + Number(v) - (Number(v) >= 69 ? 100 : 0);
    else if (d === 'I') f.H = Number(v) % 12;
    else if (d === 'f') f.f = Number(v.padEnd(6, '0'));
    else if (d !== 'z') f[d] = Number(v);
  });
  if (pm) f.H += 12;
  const ms = Date.UTC(f.Y, f.m - 1, f.d, f.H, f.M, f.S, Math.floor(f.f / 1000));
  if (f.j !== undefined) return new PyDatetime(Date.UTC(f.Y, 0, 1) + (f.j - 1) * DAY_MS + (ms - Date.UTC(f.Y, f.m - 1, f.d)));
  return new PyDatetime(ms);
}
