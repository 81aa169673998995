// The modules shipped with drover, in one list: the registry (engine/modules-sdk/registry.ts)
// is built from it. Adding a module = one file here plus one line below.
import type { ModuleDefinition } from '../engine/modules-sdk/types.js';
import assemble from './assemble.js';
import assert from './assert.js';
import asyncStatus from './async_status.js';
import blockinfile from './blockinfile.js';
import command from './command.js';
import copy from './copy.js';
import debug from './debug.js';
import dnf from './dnf.js';
import etcd_backup from './etcd_backup.js';
import etcd_restore from './etcd_restore.js';
import fail from './fail.js';
import fetch from './fetch.js';
import file from './file.js';
import find from './find.js';
import hostname from './hostname.js';
import lineinfile from './lineinfile.js';
import oc_node from './oc_node.js';
import oc_obj from './oc_object.js';
import package_facts from './package_facts.js';
import pause from './pause.js';
import ping from './ping.js';
import pkg from './package.js';
import raw from './raw.js';
import reboot from './reboot.js';
import replace from './replace.js';
import script from './script.js';
import service from './service.js';
import service_facts from './service_facts.js';
import setup from './setup.js';
import setStats from './set_stats.js';
import shell from './shell.js';
import slurp from './slurp.js';
import stat from './stat.js';
import swapoff from './swapoff.js';
import sysctl from './sysctl.js';
import systemd from './systemd.js';
import template from './template.js';
import tempfile from './tempfile.js';
import wait_for_connection from './wait_for_connection.js';
import wait_for from './wait_for.js';
import yum from './yum.js';

export const builtinModules: ModuleDefinition[] = [
  assemble,
  assert,
  asyncStatus,
  blockinfile,
  command,
  copy,
  debug,
  dnf,
  etcd_backup,
  etcd_restore,
  fail,
  fetch,
  file,
  find,
  hostname,
  lineinfile,
  oc_node,
  oc_obj,
  package_facts,
  pause,
  ping,
  pkg,
  raw,
  reboot,
  replace,
  script,
  service,
  service_facts,
  setup,
  setStats,
  shell,
  slurp,
  stat,
  swapoff,
  sysctl,
  systemd,
  template,
  tempfile,
  wait_for_connection,
  wait_for,
  yum,
];
