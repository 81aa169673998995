#!/usr/bin/env node
// Simulated docker CLI for lab hosts: containers and images per host in
// $DROVER_SIM_STATE/docker.json (default /var/lib/drover-sim/docker.json, seeded with the
// OpenShift node's usual containers), the version from the installed docker rpm. Enough for the
// guide's swap (§6.5: `docker rm $(docker ps -a -q) -f`, `docker rmi $(docker images -q)`,
// `docker version`).
// @ts-check
import * as path from 'node:path';
import process from 'node:process';
import { emitEvent, hostPath, loadHostEnv, main, parseArgs, rpmVersion, SimError, updateJson } from './lib.mjs';

const IMAGES = [
  ['a1b2c3d4e5f6', 'registry.access.redhat.com/openshift3/ose-pod', 'v3.7.23'],
  ['b2c3d4e5f6a1', 'registry.access.redhat.com/openshift3/ose-haproxy-router', 'v3.7.23'],
  ['c3d4e5f6a1b2', 'registry.access.redhat.com/openshift3/ose-deployer', 'v3.7.23'],
];

function seed() {
  return {
    images: IMAGES.map(([id, repository, tag]) => ({ id, repository, tag })),
    containers: [
      { id: '0f1e2d3c4b5a', image: `${IMAGES[0][1]}:${IMAGES[0][2]}`, name: 'k8s_POD_router-1', running: true },
      { id: '1e2d3c4b5a0f', image: `${IMAGES[1][1]}:${IMAGES[1][2]}`, name: 'k8s_router_router-1', running: true },
      { id: '2d3c4b5a0f1e', image: `${IMAGES[2][1]}:${IMAGES[2][2]}`, name: 'k8s_deployment_router-1-deploy', running: false },
    ],
  };
}

const stateFile = () => path.join(process.env.DROVER_SIM_STATE ?? hostPath('/var/lib/drover-sim'), 'docker.json');
const matches = (id, x) => x.id.startsWith(id) || x.name === id || `${x.repository}:${x.tag}` === id;

main(() => {
  loadHostEnv();
  const [cmd, ...rest] = process.argv.slice(2);
  const a = parseArgs(rest, ['format', 'f', 'filter']);
  const out = (s) => process.stdout.write(s);
  const version = rpmVersion('docker') ?? process.env.DROVER_SIM_DOCKER_VERSION ?? '1.12.6';
  const file = stateFile();
  const events = [];
  const r = updateJson(file, seed(), (st) => {
    switch (cmd) {
      case 'version':
        out(`Client:\n Version:         ${version}\n API version:     1.26\n\nServer:\n Version:         ${version}\n API version:     1.26\n`);
        return 0;
      case 'info':
        out(`Containers: ${st.containers.length}\n Running: ${st.containers.filter((c) => c.running).length}\nImages: ${st.images.length}\nServer Version: ${version}\nStorage Driver: devicemapper\n`);
        return 0;
      case 'ps': {
        const list = st.containers.filter((c) => a.opts.a === true || a.opts.all === true || c.running);
        if (a.opts.q === true || a.opts.quiet === true) out(list.map((c) => c.id + '\n').join(''));
        else out(['CONTAINER ID        IMAGE        STATUS        NAMES', ...list.map((c) => `${c.id}        ${c.image}        ${c.running ? 'Up' : 'Exited (0)'}        ${c.name}`)].join('\n') + '\n');
        return 0;
      }
      case 'images':
        if (a.opts.q === true || a.opts.quiet === true) out(st.images.map((i) => i.id + '\n').join(''));
        else out(['REPOSITORY        TAG        IMAGE ID', ...st.images.map((i) => `${i.repository}        ${i.tag}        ${i.id}`)].join('\n') + '\n');
        return 0;
      case 'rm': {
        if (!a.pos.length) throw new SimError('"docker rm" requires at least 1 argument.');
        let rc = 0;
        for (const id of a.pos) {
          const c = st.containers.find((x) => matches(id, x));
          if (!c) {
            process.stderr.write(`Error response from daemon: No such container: ${id}\n`);
            rc = 1;
          } else if (c.running && a.opts.f !== true && a.opts.force !== true) {
            process.stderr.write(`Error response from daemon: You cannot remove a running container ${c.id}. Stop the container before attempting removal or use -f\n`);
            rc = 1;
          } else {
            st.containers = st.containers.filter((x) => x !== c);
            events.push(['docker.container.removed', { id: c.id, name: c.name }]);
            out(id + '\n');
          }
        }
        return rc;
      }
      case 'rmi': {
        if (!a.pos.length) throw new SimError('"docker rmi" requires at least 1 argument.');
        let rc = 0;
        for (const id of a.pos) {
          const img = st.images.find((x) => matches(id, x));
          const user = img && st.containers.find((c) => c.image === `${img.repository}:${img.tag}`);
          if (!img) {
            process.stderr.write(`Error response from daemon: No such image: ${id}\n`);
            rc = 1;
          } else if (user && a.opts.f !== true && a.opts.force !== true) {
            process.stderr.write(`Error response from daemon: conflict: unable to delete ${img.id} (must be forced) - image is being used by ${user.running ? 'running' : 'stopped'} container ${user.id}\n`);
            rc = 1;
          } else {
            st.images = st.images.filter((x) => x !== img);
            events.push(['docker.image.removed', { id: img.id, image: `${img.repository}:${img.tag}` }]);
            out(`Untagged: ${img.repository}:${img.tag}\nDeleted: sha256:${img.id}\n`);
          }
        }
        return rc;
      }
      case 'pull': {
        const ref = a.pos[0] ?? '';
        const [repository, tag = 'latest'] = ref.split(/:(?=[^/]+$)/);
        if (!st.images.some((i) => i.repository === repository && i.tag === tag)) {
          st.images.push({ id: Math.random().toString(16).slice(2, 14).padEnd(12, '0'), repository, tag });
          events.push(['docker.image.pulled', { image: `${repository}:${tag}` }]);
        }
        out(`Status: Downloaded newer image for ${repository}:${tag}\n`);
        return 0;
      }
      default:
        throw new SimError(`docker: '${cmd ?? ''}' is not a docker command (simulated).`, 125);
    }
  });
  for (const [k, f] of events) emitEvent(k, f);
  return r;
});
