// Text to bytes in the encodings the template module's output_encoding names: UTF-8 (any
// spelling), Latin-1 and Windows-1252 (Python's codec names and aliases). Node has no encoder
// for cp1252, so its 32 extra characters are mapped here.
const CP1252_EXTRA: Record<number, number> = {
  0x20ac: 0x80, 0x201a: 0x82, 0x0192: 0x83, 0x201e: 0x84, 0x2026: 0x85, 0x2020: 0x86, 0x2021: 0x87, 0x02c6: 0x88,
  0x2030: 0x89, 0x0160: 0x8a, 0x2039: 0x8b, 0x0152: 0x8c, 0x017d: 0x8e, 0x2018: 0x91, 0x2019: 0x92, 0x201c: 0x93,
  0x201d: 0x94, 0x2022: 0x95, 0x2013: 0x96, 0x2014: 0x97, 0x02dc: 0x98, 0x2122: 0x99, 0x0161: 0x9a, 0x203a: 0x9b,
  0x0153: 0x9c, 0x017e: 0x9e, 0x0178: 0x9f,
};

/** Python's codec name normalisation: lower case, '-' and ' ' as '_'. */
function codec(name: string): string {
  return name.trim().toLowerCase().replace(/[- ]/g, '_');
}

/** A one-byte code page: code points below `direct` map to themselves, plus `extra`. */
function singleByte(text: string, name: string, direct: (cp: number) => boolean, extra: Record<number, number> = {}): Buffer {
  const out: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const b = extra[cp] ?? (direct(cp) ? cp : undefined);
    if (b === undefined) throw new Error(`'${name}' codec can't encode character '\\u${cp.toString(16).padStart(4, '0')}'`);
    out.push(b);
  }
  return Buffer.from(out);
}

/** `text` encoded as `encoding` (errors for unknown encodings and unencodable characters). */
export function encodeText(text: string, encoding: string): Buffer {
  switch (codec(encoding)) {
    case 'utf_8':
    case 'utf8':
    case 'u8':
      return Buffer.from(text, 'utf8');
    case 'latin_1':
    case 'latin1':
    case 'iso_8859_1':
    case 'iso8859_1':
    case 'l1':
      return singleByte(text, 'latin-1', (cp) => cp <= 0xff);
    case 'windows_1252':
    case 'cp1252':
      return singleByte(text, 'charmap', (cp) => cp < 0x80 || (cp >= 0xa0 && cp <= 0xff), CP1252_EXTRA);
    case 'ascii':
    case 'us_ascii':
      return singleByte(text, 'ascii', (cp) => cp < 0x80);
    default:
      throw new Error(`unknown encoding: ${encoding}`);
  }
}

