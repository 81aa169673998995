// ansible.builtin.fetch: copy a file from the target to the controller, into
// dest/<inventory_hostname>/<src path> (or dest itself with flat=yes), transferring only when the
// local copy's sha1 differs from the remote one. One trip checks the remote file and computes its
// checksum; the bytes come over the connection's getFile. No check mode, as in Ansible.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { quote } from '../engine/modules-sdk/quote.js';
import { buildScript, parseOutput } from '../engine/modules-sdk/script.js';
import type { ModuleDefinition, ModuleResult } from '../engine/modules-sdk/types.js';
import { sha1 } from './lib/deliver.js';

/** Script: exists/isdir/readable and the sha1 of the remote file (links followed). */
export function remoteCheckScript(src: string): string {
  return buildScript(
    `p=${quote(src)}`,
    '_d_home p',
    `_d_emit path "$p"`,
    `[ -e "$p" ] || { _d_emit exists 0; exit 0; }`,
    `_d_emit exists 1`,
    `[ -d "$p" ] && { _d_emit isdir 1; exit 0; }`,
    `[ -r "$p" ] || { _d_emit unreadable 1; exit 0; }`,
    `_d_emit checksum "$(_d_sum sha1 "$p")"`,
    `_d_emit mode "$(stat -L -c %a "$p" 2>/dev/null)"`,
  );
}

/** Where the file lands on the controller; a string error for flat=yes onto a directory. */
export function localDest(o: { src: string; dest: string; flat: boolean; host: string; baseDir: string; destIsDir: boolean }): string | { error: string } {
  let dest = o.dest;
  if (o.flat) {
    if (o.destIsDir && !dest.endsWith('/')) return { error: 'dest is an existing directory, use a trailing slash if you want to fetch src into that directory' };
    if (dest.endsWith('/')) dest = path.join(dest, path.posix.basename(o.src));
    if (!dest.startsWith('/')) dest = path.resolve(o.baseDir, dest);
  } else {
    dest = `${path.resolve(o.baseDir, dest)}/${o.host}/${o.src}`;
  }
  return path.normalize(dest);
}

async function localSha1(p: string): Promise<string | undefined> {
  try {
    return sha1(await fs.readFile(p));
  } catch {
    return undefined;
  }
}

const fetch: ModuleDefinition = {
  name: 'fetch',
  description: 'Fetch files from remote nodes',
  supportsCheckMode: false,
  supportsDiff: false,
  supportsAsync: false,
  schema: {
    type: 'object',
    properties: {
      src: { type: 'string' },
      dest: { type: 'string' },
      fail_on_missing: { type: 'boolean', default: true },
      validate_checksum: { type: 'boolean', default: true },
      flat: { type: 'boolean', default: false },
    },
    required: ['src', 'dest'],
    additionalProperties: false,
  },
  async run(args, ctx) {
    const failOnMissing = args.fail_on_missing !== false;
    const r = await ctx.run(remoteCheckScript(String(args.src)));
    const { fields } = parseOutput(r.stdout);
    if (r.rc !== 0 || fields.exists === undefined) return { changed: false, failed: true, rc: r.rc, msg: r.stderr.trim() || 'could not check the remote file' };
    const source = fields.path ?? String(args.src);
    const missing = (msg: string): ModuleResult =>
      failOnMissing ? { changed: false, failed: true, file: source, msg } : { changed: false, file: source, msg };
    if (fields.exists === '0') return missing('the remote file does not exist, not transferring, ignored');
    if (fields.isdir === '1') {
      return failOnMissing
        ? { changed: false, failed: true, msg: 'remote file is a directory, fetch cannot work on directories' }
        : { msg: 'remote file is a directory, fetch cannot work on directories, not transferring, ignored' };
    }
    if (fields.unreadable === '1') return missing(`file is not readable: ${source}`);
    const remoteChecksum = fields.checksum;
    const baseDir = ctx.searchPaths[ctx.searchPaths.length - 1] ?? process.cwd();
    let destIsDir = false;
    try {
      destIsDir = (await fs.stat(String(args.dest))).isDirectory();
    } catch {
      /* dest does not exist yet */
    }
    const dest = localDest({ src: source, dest: String(args.dest), flat: !!args.flat, host: ctx.host, baseDir, destIsDir });
    if (typeof dest !== 'string') return { changed: false, failed: true, msg: dest.error };
    const localChecksum = await localSha1(dest);
    const md5 = async () => createHash('md5').update(await fs.readFile(dest)).digest('hex');
    if (remoteChecksum && remoteChecksum === localChecksum) {
      return { changed: false, md5sum: await md5(), file: source, dest, checksum: localChecksum };
    }
    const data = await ctx.conn.getFile(source);
    await fs.mkdir(path.dirname(dest), { recursive: true });
    // over ssh Ansible fetches with sftp `get`, which creates a new local file with the remote
    // file's permission bits (plus u+w) under the umask; an existing file keeps its mode
    const remoteMode = /^[0-7]{3,4}$/.test(fields.mode ?? '') ? (parseInt(fields.mode as string, 8) & 0o777) | 0o200 : undefined;
    const isNew = localChecksum === undefined;
    await fs.writeFile(dest, data, remoteMode !== undefined && ctx.conn.transport !== 'local' ? { mode: remoteMode } : undefined);
    if (isNew && remoteMode !== undefined && ctx.conn.transport !== 'local') {
      const umask = process.umask();
      await fs.chmod(dest, remoteMode & ~umask);
    }
    const newChecksum = sha1(data);
    const got = remoteChecksum || newChecksum;
    if (args.validate_checksum !== false && newChecksum !== got) {
      return { changed: false, failed: true, md5sum: await md5(), msg: 'checksum mismatch', file: source, dest, remote_md5sum: null, checksum: newChecksum, remote_checksum: got };
    }
    return { changed: true, md5sum: await md5(), dest, remote_md5sum: null, checksum: newChecksum, remote_checksum: got };
  },
};

export default fetch;
