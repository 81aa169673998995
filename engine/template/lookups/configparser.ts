// Python's configparser.ConfigParser as the ini lookup uses it (read_file, get, items): sections,
// `=`/`:` options, full-line comments, indented continuation lines, [DEFAULT], allow_no_value,
// strict duplicate checks and %(name)s interpolation, with Python's error texts.
import { pyRepr } from '../python.js';

/** configparser.Error subclasses by name (NoSectionError, DuplicateOptionError...). */
export class ConfigError extends Error {
  constructor(readonly kind: string, message: string) {
    super(message);
    this.name = kind;
  }
}

type Values = Map<string, string[] | null>;

const lineNo = (n: number) => String(n).padStart(2, ' ');

export class ConfigParser {
  private readonly sections = new Map<string, Values>();
  private readonly defaults: Values = new Map();

  constructor(private readonly opts: { allowNoValue: boolean; caseSensitive: boolean }) {}

  private optionxform(name: string): string {
    return this.opts.caseSensitive ? name : name.toLowerCase();
  }

  /** read_file(f) of text with no name (a StringIO): the source shows as '<???>'. */
  read(text: string, source = '<???>'): void {
    const added = new Set<string>();
    let cursect: Values | null = null;
    let sectname = '';
    let optname: string | null = null;
    let indent = Number.MAX_SAFE_INTEGER;
    const errors: string[] = [];
    const lines = text.split(/(?<=\n)/);
    lines.forEach((line, i) => {
      const lineno = i + 1;
      const stripped = line.trim();
      const comment = stripped.startsWith('#') || stripped.startsWith(';');
      const value = comment ? '' : stripped;
      if (!value) {
        // an empty line belongs to a multi-line value; a comment line does not
        if (!comment && cursect && optname && cursect.get(optname)) cursect.get(optname)!.push('');
        return;
      }
      const curIndent = line.search(/\S/);
      if (cursect && optname && curIndent > indent) {
        cursect.get(optname)?.push(value);
        return;
      }
      indent = curIndent;
      const sect = /^\[(.+)\]/.exec(value);
      if (sect) {
        sectname = sect[1];
        if (this.sections.has(sectname)) {
          if (added.has(sectname)) throw new ConfigError('DuplicateSectionError', `While reading from ${pyRepr(source)} [line ${lineNo(lineno)}]: section ${pyRepr(sectname)} already exists`);
          cursect = this.sections.get(sectname)!;
          added.add(sectname);
        } else if (sectname === 'DEFAULT') cursect = this.defaults;
        else {
          cursect = new Map();
          this.sections.set(sectname, cursect);
          added.add(sectname);
        }
        optname = null;
        return;
      }
      if (!cursect) {
        throw new ConfigError('MissingSectionHeaderError', `File contains no section headers.\nfile: ${pyRepr(source)}, line: ${lineno}\n${pyRepr(line)}`);
      }
      const m = this.opts.allowNoValue ? /^(.*?)\s*(?:([=:])\s*(.*))?$/s.exec(value) : /^(.*?)\s*([=:])\s*(.*)$/s.exec(value);
      if (!m || !m[1]) {
        errors.push(`\n\t[line ${lineNo(lineno)}]: ${pyRepr(line)}`);
        return;
      }
      optname = this.optionxform(m[1].trimEnd());
      const key = `${sectname}\0${optname}`;
      if (added.has(key)) {
        throw new ConfigError('DuplicateOptionError', `While reading from ${pyRepr(source)} [line ${lineNo(lineno)}]: option ${pyRepr(optname)} in section ${pyRepr(sectname)} already exists`);
      }
      added.add(key);
      cursect.set(optname, m[3] !== undefined ? [m[3].trim()] : null);
    });
    if (errors.length) throw new ConfigError('ParsingError', `Source contains parsing errors: ${pyRepr(source)}${errors.join('')}`);
  }

  private unified(section: string): Map<string, string | null> {
    const own = this.sections.get(section);
    if (!own && section !== 'DEFAULT') throw new ConfigError('NoSectionError', `No section: ${pyRepr(section)}`);
    const out = new Map<string, string | null>();
    for (const [k, v] of [...this.defaults, ...(own ?? [])]) out.set(k, v === null ? null : v.join('\n').trimEnd());
    return out;
  }

  /** sections(): the sections read, in order, without DEFAULT. */
  sectionNames(): string[] {
    return [...this.sections.keys()];
  }

  /** get(section, option); undefined when the option is missing (NoOptionError). */
  get(section: string, option: string): string | null | undefined {
    const d = this.unified(section);
    const key = this.optionxform(option);
    if (!d.has(key)) return undefined;
    const v = d.get(key)!;
    return v === null ? null : interpolate(key, section, v, d);
  }

  /** items(section): defaults first, interpolated (a value-less option reads as ''). */
  items(section: string): [string, string][] {
    const d = this.unified(section);
    return [...d].map(([k, v]) => [k, v === null ? '' : interpolate(k, section, v, d)]);
  }
}

/** BasicInterpolation: %% and %(name)s, up to 10 levels deep. */
function interpolate(option: string, section: string, raw: string, map: Map<string, string | null>, depth = 0): string {
  if (depth > 10) throw new ConfigError('InterpolationDepthError', `Recursion limit exceeded in value substitution: option ${pyRepr(option)} in section ${pyRepr(section)} contains an interpolation key which cannot be substituted in 10 steps. Raw value: ${pyRepr(raw)}`);
  let out = '';
  let rest = raw;
  while (rest) {
    const p = rest.indexOf('%');
    if (p < 0) return out + rest;
    out += rest.slice(0, p);
    rest = rest.slice(p);
    const c = rest[1];
    if (c === '%') {
      out += '%';
      rest = rest.slice(2);
    } else if (c === '(') {
      const m = /^%\(([^)]+)\)s/.exec(rest);
      if (!m) throw new ConfigError('InterpolationSyntaxError', `bad interpolation variable reference ${pyRepr(rest)}`);
      rest = rest.slice(m[0].length);
      const v = map.get(m[1].toLowerCase());
      if (v === undefined || v === null) {
        throw new ConfigError('InterpolationMissingOptionError', `Bad value substitution: option ${pyRepr(option)} in section ${pyRepr(section)} contains an interpolation key ${pyRepr(m[1].toLowerCase())} which is not a valid option name. Raw value: ${pyRepr(raw)}`);
      }
      out += v.includes('%') ? interpolate(option, section, v, map, depth + 1) : v;
    } else {
      throw new ConfigError('InterpolationSyntaxError', `'%' must be followed by '%' or '(', found: ${pyRepr(rest)}`);
    }
  }
  return out;
}
