#!/usr/bin/env node
// Simulated subscription-manager for lab hosts: `repos --enable/--disable/--list-enabled/--list`
// flip `enabled=` of the sections of /etc/yum.repos.d/redhat.repo (the file the lab's RPM setup
// writes with the seed's repo IDs); refresh, identity, register, unregister and clean answer
// as RHEL's tool does, with a per-host identity in /var/lib/drover-sim/rhsm.json.
// @ts-check
import * as fs from 'node:fs';
import * as path from 'node:path';
import process from 'node:process';
import { emitEvent, hostPath, loadHostEnv, main, parseArgs, readJson, SimError, writeJson } from './lib.mjs';

/** Sections of a .repo file: [{id, enabled, start, end}] with line indexes. */
export function repoSections(lines) {
  const out = [];
  lines.forEach((l, i) => {
    const m = /^\[([^\]]+)\]\s*$/.exec(l);
    if (m) {
      if (out.length) out[out.length - 1].end = i;
      out.push({ id: m[1], start: i, end: lines.length });
    }
  });
  return out;
}

function enabledOf(lines, s) {
  const l = lines.slice(s.start + 1, s.end).find((x) => /^enabled\s*=/.test(x));
  return l ? /=\s*1\s*$/.test(l) : true;
}

main(() => {
  loadHostEnv();
  const [cmd, ...rest] = process.argv.slice(2);
  const a = parseArgs(rest, ['enable', 'disable', 'consumerid', 'username', 'password', 'org', 'activationkey', 'pool']);
  const out = (s) => process.stdout.write(s);
  const idFile = path.join(process.env.DROVER_SIM_STATE ?? hostPath('/var/lib/drover-sim'), 'rhsm.json');
  const ident = readJson(idFile, null);
  switch (cmd) {
    case 'repos': {
      const file = hostPath('/etc/yum.repos.d/redhat.repo');
      const lines = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n') : [];
      const secs = repoSections(lines);
      const want = [...(a.all.disable ?? []).map((v) => [String(v), false]), ...(a.all.enable ?? []).map((v) => [String(v), true])];
      for (const [pat] of want) {
        const re = new RegExp('^' + pat.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*') + '$');
        if (!secs.some((s) => re.test(s.id))) throw new SimError(`Error: '${pat}' does not match a valid repository ID. Use "subscription-manager repos --list" to see valid repositories.`, 1);
      }
      const changed = [];
      for (const [pat, on] of want) {
        const re = new RegExp('^' + pat.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*') + '$');
        for (const s of secs.filter((x) => re.test(x.id))) {
          const idx = lines.findIndex((l, i) => i > s.start && i < s.end && /^enabled\s*=/.test(l));
          const before = enabledOf(lines, s);
          if (idx >= 0) lines[idx] = `enabled = ${on ? 1 : 0}`;
          else lines.splice(s.start + 1, 0, `enabled = ${on ? 1 : 0}`);
          out(`Repository '${s.id}' is ${on ? 'enabled' : 'disabled'} for this system.\n`);
          if (before !== on) changed.push([s.id, on]);
          secs.splice(0, secs.length, ...repoSections(lines));
        }
      }
      if (want.length) fs.writeFileSync(file, lines.join('\n'));
      for (const [id, on] of changed) emitEvent(on ? 'repo.enabled' : 'repo.disabled', { repo: id });
      if (a.opts['list-enabled'] === true || a.opts.list === true) {
        const only = a.opts['list-enabled'] === true;
        out('+----------------------------------------------------------+\n    Available Repositories in /etc/yum.repos.d/redhat.repo\n+----------------------------------------------------------+\n');
        for (const s of repoSections(lines)) {
          const on = enabledOf(lines, s);
          if (!only || on) out(`Repo ID:   ${s.id}\nRepo Name: ${s.id}\nEnabled:   ${on ? 1 : 0}\n\n`);
        }
      }
      return 0;
    }
    case 'refresh':
      out('All local data refreshed\n');
      return 0;
    case 'identity':
      if (!ident) throw new SimError('This system is not yet registered. Try \'subscription-manager register --help\' for more information.', 1);
      out(`system identity: ${ident.id}\nname: ${ident.name}\norg name: Lab\norg ID: 1234567\n`);
      return 0;
    case 'register': {
      if (ident && a.opts.force !== true) throw new SimError('This system is already registered. Use --force to override', 64);
      const id = String(a.opts.consumerid ?? ident?.id ?? `${Date.now().toString(16)}-0000-4000-8000-000000000000`);
      writeJson(idFile, { id, name: process.env.DROVER_SIM_HOST ?? 'lab-host' });
      out(`The system has been registered with ID: ${id}\n`);
      emitEvent('rhsm.registered', { id });
      return 0;
    }
    case 'unregister':
    case 'clean':
      fs.rmSync(idFile, { force: true });
      out(cmd === 'clean' ? 'All local data removed\n' : 'System has been unregistered.\n');
      return 0;
    default:
      throw new SimError(`subscription-manager: error: no such option: ${cmd ?? ''} (simulated)`, 2);
  }
});
