// libyaml's emitter (0.2.5, what PyYAML's CSafeDumper drives) over a represented node tree: the
// block/flow state machine with its column, whitespace and indention flags, scalar analysis and
// style selection, and the four writers. Kept to libyaml's rules, not a pretty-printer's, because
// ansible-inventory --yaml and to_yaml output is compared byte for byte.

export type Style = '' | "'" | '"' | '|';
export interface ScalarNode {
  kind: 'scalar';
  tag: string;
  value: string;
  style?: Style;
  /** the value resolves to its own tag when written plain */
  plainImplicit: boolean;
}
export interface SeqNode {
  kind: 'seq';
  items: Node[];
  flow: boolean;
}
export interface MapNode {
  kind: 'map';
  pairs: [Node, Node][];
  flow: boolean;
}
export type Node = ScalarNode | SeqNode | MapNode;

interface Analysis {
  chars: string[];
  multiline: boolean;
  flowPlain: boolean;
  blockPlain: boolean;
  singleQuoted: boolean;
  block: boolean;
}

const isBreak = (c: string | undefined): boolean => c === '\n' || c === '\r' || c === '\x85' || c === '\u2028' || c === '\u2029';
const isBlankZ = (c: string | undefined): boolean => c === undefined || c === ' ' || c === '\t' || c === '\0' || isBreak(c);
function isPrintable(c: string): boolean {
  const n = c.codePointAt(0)!;
  return n === 0x0a || (n >= 0x20 && n <= 0x7e) || (n >= 0xa0 && n <= 0xd7ff) || (n >= 0xe000 && n <= 0xfffd && n !== 0xfeff);
}

/** yaml_emitter_analyze_scalar. */
function analyze(value: string): Analysis {
  const chars = Array.from(value);
  if (chars.length === 0) return { chars, multiline: false, flowPlain: false, blockPlain: true, singleQuoted: true, block: false };
  let blockInd = false;
  let flowInd = false;
  let lineBreaks = false;
  let special = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let prevSpace = false;
  let prevBreak = false;
  if (value.startsWith('---') || value.startsWith('...')) blockInd = flowInd = true;
  let precededByWs = true;
  let followedByWs = isBlankZ(chars[1]);
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(c)) flowInd = blockInd = true;
      if (c === '?' || c === ':') {
        flowInd = true;
        if (followedByWs) blockInd = true;
      }
      if (c === '-' && followedByWs) flowInd = blockInd = true;
    } else {
      if (',?[]{}'.includes(c)) flowInd = true;
      if (c === ':') {
        flowInd = true;
        if (followedByWs) blockInd = true;
      }
      if (c === '#' && precededByWs) flowInd = blockInd = true;
    }
    if (!isPrintable(c)) special = true;
    if (isBreak(c)) lineBreaks = true;
    const last = i === chars.length - 1;
    if (c === ' ') {
      if (i === 0) leadingSpace = true;
      if (last) trailingSpace = true;
      if (prevBreak) breakSpace = true;
      prevSpace = true;
      prevBreak = false;
    } else if (isBreak(c)) {
      if (i === 0) leadingBreak = true;
      if (last) trailingBreak = true;
      if (prevSpace) spaceBreak = true;
      prevBreak = true;
      prevSpace = false;
    } else {
      prevSpace = prevBreak = false;
    }
    precededByWs = isBlankZ(c);
    followedByWs = isBlankZ(chars[i + 2]);
  }
  const a: Analysis = { chars, multiline: lineBreaks, flowPlain: true, blockPlain: true, singleQuoted: true, block: true };
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) a.flowPlain = a.blockPlain = false;
  if (trailingSpace) a.block = false;
  if (breakSpace) a.flowPlain = a.blockPlain = a.singleQuoted = false;
  if (spaceBreak || special) a.flowPlain = a.blockPlain = a.singleQuoted = a.block = false;
  if (lineBreaks) a.flowPlain = a.blockPlain = false;
  if (flowInd) a.flowPlain = false;
  if (blockInd) a.blockPlain = false;
  return a;
}

const ESCAPES: Record<string, string> = {
  '\0': '0', '\x07': 'a', '\b': 'b', '\t': 't', '\n': 'n', '\v': 'v', '\f': 'f', '\r': 'r', '\x1b': 'e',
  '"': '"', '\\': '\\', '\x85': 'N', '\xa0': '_', '\u2028': 'L', '\u2029': 'P',
};

interface Ctx {
  root?: boolean;
  sequence?: boolean;
  mapping?: boolean;
  simpleKey?: boolean;
}

export class Emitter {
  private out: string[] = [];
  private column = 0;
  private whitespace = true;
  private indention = true;
  private indent = -1;
  private indents: number[] = [];
  private flowLevel = 0;
  private ctx: Ctx = {};
  private readonly bestIndent: number;
  private readonly bestWidth: number;
  private readonly emitted = new Set<Node>();

  constructor(
    opts: { indent?: number; width?: number },
    private readonly anchors: Map<Node, string>,
  ) {
    const i = opts.indent ?? 2;
    this.bestIndent = i < 2 || i > 9 ? 2 : i;
    const w = opts.width ?? 80;
    this.bestWidth = w < 0 ? Infinity : w <= this.bestIndent * 2 ? 80 : w;
  }

  document(root: Node): string {
    this.node(root, { root: true });
    this.writeIndent();
    return this.out.join('');
  }

  private put(s: string): void {
    this.out.push(s);
    this.column += Array.from(s).length;
  }

  private putBreak(): void {
    this.out.push('\n');
    this.column = 0;
  }

  private writeBreak(c: string): void {
    if (c === '\n') this.putBreak();
    else {
      this.out.push(c);
      this.column = 0;
    }
  }

  private writeIndicator(ind: string, needWs: boolean, isWs = false, isIndention = false): void {
    if (needWs && !this.whitespace) this.put(' ');
    this.put(ind);
    this.whitespace = isWs;
    this.indention = this.indention && isIndention;
  }

  private writeIndent(): void {
    const indent = this.indent >= 0 ? this.indent : 0;
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.putBreak();
    if (this.column < indent) this.put(' '.repeat(indent - this.column));
    this.whitespace = true;
    this.indention = true;
  }

  private increaseIndent(flow: boolean, indentless: boolean): void {
    this.indents.push(this.indent);
    if (this.indent < 0) this.indent = flow ? this.bestIndent : 0;
    else if (!indentless) this.indent += this.bestIndent;
  }

  private empty(n: Node): boolean {
    return (n.kind === 'seq' && n.items.length === 0) || (n.kind === 'map' && n.pairs.length === 0);
  }

  private checkSimpleKey(n: Node): boolean {
    const anchor = this.anchors.get(n)?.length ?? 0;
    if (anchor && this.emitted.has(n)) return anchor <= 128;
    let length = anchor;
    if (n.kind === 'scalar') {
      const a = analyze(n.value);
      if (a.multiline) return false;
      length += a.chars.length + (n.tag.startsWith('!') ? n.tag.length : 0);
    } else if (!this.empty(n)) return false;
    return length <= 128;
  }

  private node(n: Node, ctx: Ctx): void {
    this.ctx = ctx;
    const anchor = this.anchors.get(n);
    if (anchor && this.emitted.has(n)) {
      this.writeIndicator('*' + anchor, true);
      return;
    }
    this.emitted.add(n);
    if (n.kind === 'scalar') return this.scalar(n, anchor);
    if (anchor) this.writeIndicator('&' + anchor, true);
    const flow = this.flowLevel > 0 || n.flow || this.empty(n);
    if (n.kind === 'seq') {
      if (flow) this.flowSequence(n);
      else this.blockSequence(n);
    } else if (flow) this.flowMapping(n);
    else this.blockMapping(n);
  }

  private flowSequence(n: SeqNode): void {
    this.writeIndicator('[', true, true);
    this.increaseIndent(true, false);
    this.flowLevel++;
    n.items.forEach((item, i) => {
      if (i > 0) this.writeIndicator(',', false);
      if (this.column > this.bestWidth) this.writeIndent();
      this.node(item, { sequence: true });
    });
    this.flowLevel--;
    this.indent = this.indents.pop()!;
    this.writeIndicator(']', false);
  }

  private flowMapping(n: MapNode): void {
    this.writeIndicator('{', true, true);
    this.increaseIndent(true, false);
    this.flowLevel++;
    n.pairs.forEach(([k, v], i) => {
      if (i > 0) this.writeIndicator(',', false);
      if (this.column > this.bestWidth) this.writeIndent();
      if (this.checkSimpleKey(k)) {
        this.node(k, { mapping: true, simpleKey: true });
        this.writeIndicator(':', false);
      } else {
        this.writeIndicator('?', true);
        this.node(k, { mapping: true });
        if (this.column > this.bestWidth) this.writeIndent();
        this.writeIndicator(':', true);
      }
      this.node(v, { mapping: true });
    });
    this.flowLevel--;
    this.indent = this.indents.pop()!;
    this.writeIndicator('}', false);
  }

  private blockSequence(n: SeqNode): void {
    this.increaseIndent(false, Boolean(this.ctx.mapping) && !this.indention);
    for (const item of n.items) {
      this.writeIndent();
      this.writeIndicator('-', true, false, true);
      this.node(item, { sequence: true });
    }
    this.indent = this.indents.pop()!;
  }

  private blockMapping(n: MapNode): void {
    this.increaseIndent(false, false);
    for (const [k, v] of n.pairs) {
      this.writeIndent();
      if (this.checkSimpleKey(k)) {
        this.node(k, { mapping: true, simpleKey: true });
        this.writeIndicator(':', false);
      } else {
        this.writeIndicator('?', true, false, true);
        this.node(k, { mapping: true });
        this.writeIndent();
        this.writeIndicator(':', true, false, true);
      }
      this.node(v, { mapping: true });
    }
    this.indent = this.indents.pop()!;
  }

  /** yaml_emitter_select_scalar_style, then anchor, tag and the writer. */
  private scalar(n: ScalarNode, anchor: string | undefined): void {
    const a = analyze(n.value);
    const simpleKey = Boolean(this.ctx.simpleKey);
    let style: Style = n.style ?? '';
    const tagged = n.tag.startsWith('!');
    if (simpleKey && a.multiline) style = '"';
    if (style === '') {
      if ((this.flowLevel && !a.flowPlain) || (!this.flowLevel && !a.blockPlain)) style = "'";
      if (!a.chars.length && (this.flowLevel || simpleKey)) style = "'";
      if (!tagged && !n.plainImplicit) style = "'";
    }
    if (style === "'" && !a.singleQuoted) style = '"';
    if (style === '|' && (!a.block || this.flowLevel || simpleKey)) style = '"';
    if (anchor) this.writeIndicator('&' + anchor, true);
    if (tagged) this.writeIndicator(n.tag, true);
    // a non-string written quoted (a datetime in flow style): libyaml marks it with the non-specific tag
    else if (style !== '' && n.tag !== 'tag:yaml.org,2002:str') this.writeIndicator('!', true);
    this.increaseIndent(true, false);
    const split = !simpleKey;
    if (style === '"') this.doubleQuoted(a.chars, split);
    else if (style === "'") this.singleQuoted(a.chars, split);
    else if (style === '|') this.literal(a.chars);
    else this.plain(a.chars, split);
    this.indent = this.indents.pop()!;
  }

  private plain(chars: string[], allowBreaks: boolean): void {
    if (!this.whitespace && (chars.length || this.flowLevel)) this.put(' ');
    // a plain scalar never holds a line break (the analysis forbids it): breaks end unused
    this.flowText(chars, allowBreaks, false);
    this.whitespace = false;
    this.indention = false;
  }

  private singleQuoted(chars: string[], allowBreaks: boolean): void {
    this.writeIndicator("'", true);
    if (this.flowText(chars, allowBreaks, true)) this.writeIndent();
    this.writeIndicator("'", false);
    this.whitespace = false;
    this.indention = false;
  }

  /**
   * The body of a plain or single-quoted scalar: a space past the width becomes a line break
   * (inside quotes, not the first or last character), a line break is written twice, `'` doubled
   * when quoted. Returns whether the text ended in a line break.
   */
  private flowText(chars: string[], allowBreaks: boolean, quoted: boolean): boolean {
    let spaces = false;
    let breaks = false;
    chars.forEach((c, i) => {
      if (c === ' ') {
        const inside = !quoted || (i !== 0 && i !== chars.length - 1);
        if (allowBreaks && !spaces && this.column > this.bestWidth && inside && chars[i + 1] !== ' ') this.writeIndent();
        else this.put(c);
        spaces = true;
      } else if (isBreak(c)) {
        if (!breaks && c === '\n') this.putBreak();
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.put(quoted && c === "'" ? "''" : c);
        this.indention = false;
        spaces = breaks = false;
      }
    });
    return breaks;
  }

  private doubleQuoted(chars: string[], allowBreaks: boolean): void {
    this.writeIndicator('"', true);
    let spaces = false;
    chars.forEach((c, i) => {
      if (!isPrintable(c) || c === '\ufeff' || isBreak(c) || c === '"' || c === '\\') {
        const esc = ESCAPES[c];
        if (esc !== undefined) this.put('\\' + esc);
        else {
          const cp = c.codePointAt(0)!;
          const hex = cp.toString(16).toUpperCase();
          this.put(cp <= 0xff ? '\\x' + hex.padStart(2, '0') : cp <= 0xffff ? '\\u' + hex.padStart(4, '0') : '\\U' + hex.padStart(8, '0'));
        }
        spaces = false;
      } else if (c === ' ') {
        if (allowBreaks && !spaces && this.column > this.bestWidth && i !== 0 && i !== chars.length - 1) {
          this.writeIndent();
          if (chars[i + 1] === ' ') this.put('\\');
        } else this.put(c);
        spaces = true;
      } else {
        this.put(c);
        spaces = false;
      }
    });
    this.writeIndicator('"', false);
    this.whitespace = false;
    this.indention = false;
  }

  /** `|` with libyaml's block scalar hints (the vault ciphertext of !vault values). */
  private literal(chars: string[]): void {
    let hints = '';
    if (chars[0] === ' ' || isBreak(chars[0])) hints += String(this.bestIndent);
    const last = chars[chars.length - 1];
    if (!isBreak(last)) hints += '-';
    else if (chars.length === 1 || isBreak(chars[chars.length - 2])) hints += '+';
    this.writeIndicator('|' + hints, true);
    this.putBreak();
    this.indention = true;
    this.whitespace = true;
    let breaks = true;
    for (const c of chars) {
      if (isBreak(c)) {
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.put(c);
        this.indention = false;
        breaks = false;
      }
    }
  }
}
