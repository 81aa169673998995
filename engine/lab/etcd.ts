// Real etcd members for the hosts of the inventory's `etcd` group: each member listens on its
// host's own lab address, keeps its data in the host tree (/var/lib/etcd) and is run by the
// host's simulated systemd from a unit that reads /etc/etcd/etcd.conf, as on RHEL.
import type { LabHost } from './layout.js';

export const ETCD_GROUP = 'etcd';

export function etcdUrls(address: string, ports: { client: number; peer: number }) {
  return { clientUrl: `http://${address}:${ports.client}`, peerUrl: `http://${address}:${ports.peer}` };
}

/** /etc/etcd/etcd.conf for one member of a new cluster made of `members`. */
export function etcdConf(labName: string, me: LabHost, members: LabHost[]): string {
  if (!me.etcd) throw new Error(`${me.name} is not an etcd member`);
  const cluster = members.map((m) => `${m.name}=${m.etcd!.peerUrl}`).join(',');
  return [
    '# written by drover lab up: a member of the lab cluster',
    `ETCD_NAME=${me.name}`,
    'ETCD_DATA_DIR=/var/lib/etcd/',
    `ETCD_LISTEN_CLIENT_URLS=${me.etcd.clientUrl}`,
    `ETCD_LISTEN_PEER_URLS=${me.etcd.peerUrl}`,
    `ETCD_ADVERTISE_CLIENT_URLS=${me.etcd.clientUrl}`,
    `ETCD_INITIAL_ADVERTISE_PEER_URLS=${me.etcd.peerUrl}`,
    `ETCD_INITIAL_CLUSTER=${cluster}`,
    'ETCD_INITIAL_CLUSTER_STATE=new',
    `ETCD_INITIAL_CLUSTER_TOKEN=drover-lab-${labName}`,
    'ETCD_ELECTION_TIMEOUT=1000',
    'ETCD_HEARTBEAT_INTERVAL=100',
    '',
  ].join('\n');
}

export const ETCD_UNIT = `[Unit]
Description=Etcd Server
After=network.target

[Service]
Type=notify
WorkingDirectory=/var/lib/etcd/
EnvironmentFile=-/etc/etcd/etcd.conf
ExecStart=/usr/bin/etcd
Restart=on-failure
LimitNOFILE=65536

[Install]
WantedBy=multi-user.target
`;
