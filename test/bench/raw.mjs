// The benchmark's floor (issue 8): a minimal ssh2 client with one connection and one persistent
// `sh` per host, writing the scenario's equivalent commands to its stdin one at a time (one round
// trip per task, like drover aims for) and reading a marker with `$?` after each. It checks
// nothing but exit statuses; run.mjs compares the host state it leaves with the other tools'.
//
//   node test/bench/raw.mjs LAB_DIR SCENARIO
/* global process, console */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { rawCommands } from './scenarios.mjs';

const [labDir, scenario] = process.argv.slice(2);
const lab = JSON.parse(readFileSync(join(labDir, 'lab.json'), 'utf8'));
const key = readFileSync(join(labDir, 'ssh', 'client_key'));
const HANDSHAKES = 50; // in flight at once, under sshd's MaxStartups

function connect(host) {
  return new Promise((resolve, reject) => {
    const c = new ssh2.Client();
    c.once('ready', () => resolve(c));
    c.once('error', reject);
    c.connect({ host: host.address, port: lab.port, username: lab.user, privateKey: key, readyTimeout: 60_000, hostVerifier: () => true });
  });
}

/** Run each command in one `sh`, waiting for its end marker before writing the next. */
function runShell(conn, commands) {
  return new Promise((resolve, reject) => {
    conn.exec('sh', (err, ch) => {
      if (err) return reject(err);
      let buf = '';
      let i = 0;
      const bad = [];
      const next = () => {
        if (i === commands.length) return ch.end('exit 0\n');
        ch.write(`${commands[i]}\nprintf '\\n@@END %d\\n' $?\n`);
      };
      ch.on('data', (d) => {
        buf += d;
        let m;
        while ((m = /\n@@END (\d+)\n/.exec(buf))) {
          if (m[1] !== '0') bad.push(`${commands[i].slice(0, 40)}: exit ${m[1]}`);
          buf = buf.slice(m.index + m[0].length);
          i++;
          next();
        }
      });
      ch.stderr.on('data', () => undefined);
      ch.on('close', () => resolve(bad));
      next();
    });
  });
}

async function host(h) {
  const commands = rawCommands(scenario, h.name);
  const conn = await connect(h);
  try {
    return await runShell(conn, commands);
  } finally {
    conn.end();
  }
}

if (!rawCommands(scenario, 'x')) {
  console.error(`raw floor has no commands for scenario '${scenario}'`);
  process.exit(3);
}
let failed = 0;
const queue = [...lab.hosts];
const worker = async () => {
  for (let h = queue.shift(); h; h = queue.shift()) {
    const bad = await host(h).catch((e) => [String(e.message ?? e)]);
    if (bad.length) {
      failed++;
      console.error(`${h.name}: ${bad.join('; ')}`);
    }
  }
};
// connections are kept open only for a host's commands; HANDSHAKES workers bound the connect storm
await Promise.all(Array.from({ length: Math.min(HANDSHAKES, lab.hosts.length) }, worker));
console.log(`raw: ${lab.hosts.length - failed} hosts ok, ${failed} failed`);
process.exit(failed ? 2 : 0);
