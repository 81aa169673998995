// The lab's RPM catalogue: every source package the lab repositories carry, as data. spec.ts
// turns one entry into a spec file and build.ts builds them all, so adding a version or a
// dependency is one line here. Versions, epochs and Requires follow the real RHEL 7 / OCP 3.x
// packages closely enough that dependency resolution behaves as on a real host (e.g. 3.9 nodes
// need docker >= 1.13, and the 3.7 docker excluder hides docker 1.13).

/** The repositories, named as the OpenShift 3.9 upgrade guide names them. */
export const REPO_IDS = [
  'rhel-7-server-rpms',
  'rhel-7-server-extras-rpms',
  'rhel-7-fast-datapath-rpms',
  'rhel-7-server-ose-3.7-rpms',
  'rhel-7-server-ose-3.8-rpms',
  'rhel-7-server-ose-3.9-rpms',
  // The guide enables it for the 3.9 upgrade (openshift-ansible 3.9 runs on Ansible 2.4).
  'rhel-7-server-ansible-2.4-rpms',
] as const;
export type RepoId = (typeof REPO_IDS)[number];

export interface PayloadFile {
  path: string;
  content: string;
  mode?: string;
  /** %config(noreplace): edited copies survive upgrades and become .rpmsave on removal. */
  config?: boolean;
}

export interface BinaryPkg {
  name: string;
  requires?: string[];
  provides?: string[];
  files?: PayloadFile[];
  /** Names this package adds to yum.conf `exclude=` while installed (the OpenShift excluders). */
  excludes?: string[];
}

export interface SourcePkg {
  /** Name of the spec (and of the first binary package). */
  name: string;
  epoch?: number;
  version: string;
  release: string;
  repo: RepoId;
  summary: string;
  packages: BinaryPkg[];
}

/** "E:V-R" as Requires want it (epoch only when the package has one). */
export function evr(p: Pick<SourcePkg, 'epoch' | 'version' | 'release'>): string {
  return `${p.epoch !== undefined ? `${p.epoch}:` : ''}${p.version}-${p.release}`;
}

const OSE_NAMES = [
  'atomic-openshift',
  'atomic-openshift-clients',
  'atomic-openshift-master',
  'atomic-openshift-master-api',
  'atomic-openshift-master-controllers',
  'atomic-openshift-node',
  'atomic-openshift-sdn-ovs',
  'tuned-profiles-atomic-openshift-node',
];

/** docker versions newer than a release supports, as its docker excluder lists them. */
function dockerExcludes(firstUnsupported: number): string[] {
  const out: string[] = [];
  for (let minor = firstUnsupported; minor <= 20; minor++) out.push(`docker*1.${minor}*`);
  return out;
}

/**
 * A systemd unit shipped in /usr/lib/systemd/system, as the RHEL package ships it. Nothing of it can
 * run in a lab host, so it is marked simulated (engine/lab/sim/systemctl keeps its state only);
 * X-Drover-Package names the rpm whose installed version the running service reports (the unit
 * text itself never carries a version: an upgrade must not make systemd ask for daemon-reload).
 */
export function unitFile(name: string, o: { description: string; pkg: string; execStart: string; type?: string; after?: string[]; wants?: string[]; env?: string; wantedBy?: boolean }): PayloadFile {
  const lines = [
    '[Unit]',
    `Description=${o.description}`,
    ...(o.after?.length ? [`After=${o.after.join(' ')}`] : []),
    ...(o.wants?.length ? [`Wants=${o.wants.join(' ')}`] : []),
    '',
    '[Service]',
    `Type=${o.type ?? 'simple'}`,
    ...(o.env ? [`EnvironmentFile=-${o.env}`] : []),
    `ExecStart=${o.execStart}`,
    'Restart=on-failure',
    'X-Drover-Simulated=yes',
    `X-Drover-Package=${o.pkg}`,
    '',
    ...(o.wantedBy === false ? [] : ['[Install]', 'WantedBy=multi-user.target', '']),
  ];
  return { path: `/usr/lib/systemd/system/${name}.service`, content: lines.join('\n') };
}

function openshift(version: string, release: string): SourcePkg {
  const minor = version.split('.').slice(0, 2).join('.');
  const same = (n: string) => `${n} = ${version}-${release}`;
  const dockerMin = minor === '3.9' ? '2:1.13' : '2:1.12';
  return {
    name: 'atomic-openshift',
    version,
    release,
    repo: `rhel-7-server-ose-${minor}-rpms` as RepoId,
    summary: 'OpenShift Container Platform',
    packages: [
      { name: 'atomic-openshift', requires: [same('atomic-openshift-clients')] },
      { name: 'atomic-openshift-clients' },
      {
        name: 'atomic-openshift-master',
        requires: [same('atomic-openshift')],
        files: [
          { path: '/etc/sysconfig/atomic-openshift-master-api', content: 'OPTIONS=--loglevel=2\n', config: true },
          { path: '/etc/sysconfig/atomic-openshift-master-controllers', content: 'OPTIONS=--loglevel=2\n', config: true },
          // Native HA masters run the API and the controllers as two services (openshift-ansible
          // writes these units on a real 3.7 cluster; the lab's package carries them).
          unitFile('atomic-openshift-master-api', {
            description: 'Atomic OpenShift Master API',
            pkg: 'atomic-openshift-master',
            type: 'notify',
            after: ['network-online.target', 'etcd.service'],
            env: '/etc/sysconfig/atomic-openshift-master-api',
            execStart: '/usr/bin/openshift start master api --config=${CONFIG_FILE} $OPTIONS',
          }),
          unitFile('atomic-openshift-master-controllers', {
            description: 'Atomic OpenShift Master Controllers',
            pkg: 'atomic-openshift-master',
            type: 'notify',
            after: ['atomic-openshift-master-api.service'],
            env: '/etc/sysconfig/atomic-openshift-master-controllers',
            execStart: '/usr/bin/openshift start master controllers --config=${CONFIG_FILE} $OPTIONS',
          }),
        ],
      },
      // Not separate packages in the real product, but the guide's §6.4/§6.6 commands name them,
      // so the lab carries them to let those commands run as written.
      { name: 'atomic-openshift-master-api', requires: [same('atomic-openshift-master')] },
      { name: 'atomic-openshift-master-controllers', requires: [same('atomic-openshift-master')] },
      {
        name: 'atomic-openshift-node',
        requires: [same('atomic-openshift'), same('tuned-profiles-atomic-openshift-node'), `docker >= ${dockerMin}`],
        files: [
          { path: '/etc/sysconfig/atomic-openshift-node', content: 'OPTIONS=--loglevel=2\n', config: true },
          unitFile('atomic-openshift-node', {
            description: 'Atomic OpenShift Node',
            pkg: 'atomic-openshift-node',
            type: 'notify',
            after: ['docker.service', 'openvswitch.service'],
            wants: ['docker.service'],
            env: '/etc/sysconfig/atomic-openshift-node',
            execStart: '/usr/bin/openshift start node --config=${CONFIG_FILE} $OPTIONS',
          }),
        ],
      },
      { name: 'atomic-openshift-sdn-ovs', requires: [same('atomic-openshift-node'), 'openvswitch >= 2.6.1'] },
      {
        name: 'tuned-profiles-atomic-openshift-node',
        files: [{ path: '/usr/lib/tuned/atomic-openshift-node/tuned.conf', content: '[main]\ninclude=throughput-performance\n' }],
      },
      { name: 'atomic-openshift-excluder', excludes: OSE_NAMES },
      { name: 'atomic-openshift-docker-excluder', excludes: dockerExcludes(minor === '3.9' ? 14 : 13) },
    ],
  };
}

function single(name: string, version: string, release: string, repo: RepoId, extra: Partial<SourcePkg> & Partial<BinaryPkg> = {}): SourcePkg {
  const { requires, provides, files, ...src } = extra;
  return { name, version, release, repo, summary: name, ...src, packages: [{ name, requires, provides, files }] };
}

function docker(version: string, release: string): SourcePkg {
  const v = `2:${version}-${release}`;
  return {
    name: 'docker',
    epoch: 2,
    version,
    release,
    repo: 'rhel-7-server-extras-rpms',
    summary: 'Automates deployment of containerized applications',
    packages: [
      {
        name: 'docker',
        requires: [`docker-common = ${v}`, `docker-client = ${v}`, `docker-rhel-push-plugin = ${v}`],
        files: [
          unitFile('docker', {
            description: 'Docker Application Container Engine',
            pkg: 'docker',
            type: 'notify',
            after: ['network.target', 'docker-storage-setup.service'],
            env: '/etc/sysconfig/docker-storage',
            execStart: '/usr/bin/dockerd-current $DOCKER_STORAGE_OPTIONS',
          }),
        ],
      },
      {
        name: 'docker-common',
        files: [
          {
            path: '/etc/sysconfig/docker-storage',
            content: 'DOCKER_STORAGE_OPTIONS=--storage-driver devicemapper --storage-opt dm.use_deferred_deletion=true\n',
            config: true,
          },
        ],
      },
      { name: 'docker-client', requires: [`docker-common = ${v}`] },
      { name: 'docker-rhel-push-plugin', requires: [`docker-common = ${v}`] },
    ],
  };
}

const ETCD_CONF = 'ETCD_NAME=default\nETCD_DATA_DIR=/var/lib/etcd/default.etcd\n';
const OVS_UNIT = unitFile('openvswitch', {
  description: 'Open vSwitch',
  pkg: 'openvswitch',
  type: 'oneshot',
  after: ['network-pre.target'],
  execStart: '/bin/true',
});
// Simulated here too: on the lab's etcd members /etc/systemd/system/etcd.service (written by the
// lab, real /usr/bin/etcd) overrides it, as an administrator's unit overrides the vendor's.
const ETCD_FILES: PayloadFile[] = [
  { path: '/etc/etcd/etcd.conf', content: ETCD_CONF, config: true },
  unitFile('etcd', { description: 'Etcd Server', pkg: 'etcd', type: 'notify', after: ['network-online.target'], env: '/etc/etcd/etcd.conf', execStart: '/usr/bin/etcd' }),
];

/** Everything the lab repositories carry. */
export const CATALOG: SourcePkg[] = [
  openshift('3.7.23', '1.git.0.8edc154.el7'),
  openshift('3.7.44', '1.git.0.6b061d4.el7'),
  openshift('3.8.37', '1.git.0.ac9c1f8.el7'),
  openshift('3.9.14', '1.git.0.8e5f8ac.el7'),
  openshift('3.9.27', '1.git.0.964617d.el7'),
  single('atomic-openshift-utils', '3.7.44', '1.git.0.5f3ff9a.el7', 'rhel-7-server-ose-3.7-rpms'),
  single('atomic-openshift-utils', '3.8.37', '1.git.0.7b6d5e5.el7', 'rhel-7-server-ose-3.8-rpms'),
  single('atomic-openshift-utils', '3.9.27', '1.git.0.52e35b5.el7', 'rhel-7-server-ose-3.9-rpms'),
  single('ansible', '2.4.6.0', '1.el7ae', 'rhel-7-server-ansible-2.4-rpms'),
  single('openvswitch', '2.7.3', '3.git20180112.el7fdp', 'rhel-7-fast-datapath-rpms', { files: [OVS_UNIT] }),
  single('openvswitch', '2.9.0', '19.el7fdp', 'rhel-7-fast-datapath-rpms', { files: [OVS_UNIT] }),
  docker('1.12.6', '71.git3e8e77d.el7'),
  docker('1.13.1', '53.git774336d.el7'),
  single('etcd', '3.2.11', '1.el7', 'rhel-7-server-extras-rpms', { files: ETCD_FILES }),
  single('etcd', '3.2.22', '1.el7', 'rhel-7-server-extras-rpms', { files: ETCD_FILES }),
  // OS packages, for the "OS update" scenarios (yum update, then reboot).
  ...['7.4-18.el7', '7.5-8.el7'].map((vr) => {
    const [v, r] = vr.split('-');
    return single('redhat-release-server', v, r, 'rhel-7-server-rpms', {
      provides: ['redhat-release', 'system-release', `system-release(releasever) = 7Server`],
      files: [{ path: '/etc/redhat-release', content: `Red Hat Enterprise Linux Server release ${v} (Maipo)\n` }],
    });
  }),
  single('tzdata', '2018c', '1.el7', 'rhel-7-server-rpms'),
  single('tzdata', '2018e', '3.el7', 'rhel-7-server-rpms'),
  single('NetworkManager', '1.8.0', '11.el7', 'rhel-7-server-rpms', { epoch: 1 }),
  single('NetworkManager', '1.10.2', '13.el7', 'rhel-7-server-rpms', { epoch: 1 }),
];
