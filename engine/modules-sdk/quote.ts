// POSIX shell quoting: every value drover puts in a command line (modules, the transport's
// framing, become wrappers, exported environment, the `quote` filter) goes through quote(), so a
// path or argument with spaces, quotes or $ can never be interpreted by the remote shell.

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quote one word for /bin/sh: bare when it only has safe characters, else single-quoted. */
export function quote(s: string | number): string {
  const str = String(s);
  if (str === '') return "''";
  if (SAFE.test(str)) return str;
  return "'" + str.replace(/'/g, `'"'"'`) + "'";
}

/** A name `export` takes: letters, digits and _, not starting with a digit. */
export function isEnvName(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
}

/**
 * `export NAME=value; ` for each variable, values quoted. A name the shell cannot take would be
 * run as shell text: it is refused (callers with a task check first and report it with its place).
 */
export function exportEnv(env: Record<string, string>): string {
  return Object.entries(env)
    .map(([k, v]) => {
      if (!isEnvName(k)) throw new Error(`invalid environment variable name ${JSON.stringify(k)}: a name has letters, digits and _ and does not start with a digit`);
      return `export ${k}=${quote(v)}; `;
    })
    .join('');
}

/** Quote and join an argv list into one command line. */
export function quoteArgv(argv: (string | number)[]): string {
  return argv.map(quote).join(' ');
}

/**
 * Split a command line the way Python's shlex.split (posix mode) does, as Ansible's command
 * module does: whitespace separates words, '...' is literal, "..." allows \\ \" \$ \` escapes,
 * a backslash outside quotes escapes the next character. Throws on an unterminated quote.
 */
export function shlexSplit(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === "'") {
      const end = s.indexOf("'", i + 1);
      if (end < 0) throw new Error('No closing quotation');
      cur += s.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      i++;
      let closed = false;
      while (i < s.length) {
        const d = s[i];
        if (d === '"') {
          closed = true;
          i++;
          break;
        }
        if (d === '\\' && i + 1 < s.length && '\\"$`\n'.includes(s[i + 1])) {
          cur += s[i + 1];
          i += 2;
          continue;
        }
        cur += d;
        i++;
      }
      if (!closed) throw new Error('No closing quotation');
      inWord = true;
    } else if (c === '\\') {
      if (i + 1 >= s.length) throw new Error('No escaped character');
      if (s[i + 1] !== '\n') cur += s[i + 1];
      inWord = true;
      i += 2;
    } else if (/\s/.test(c)) {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
      i++;
    } else {
      cur += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) out.push(cur);
  return out;
}
