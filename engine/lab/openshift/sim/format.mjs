// How `oc get` prints: kubectl-style tables per kind, json/yaml/name, and the jsonpath subset
// playbooks use ({.a.b}, [n], [*], {range}...{end}). Kept apart from the API logic in cluster.mjs.
// @ts-check
import { SimError } from './lib.mjs';

let yamlLib;
/** The `yaml` package when reachable (the installer copies it next to the tools), else null. */
export async function loadYaml() {
  if (yamlLib === undefined) {
    try {
      yamlLib = await import('yaml');
    } catch {
      yamlLib = null;
    }
  }
  return yamlLib;
}

/** Parse JSON or YAML text (all documents). @param {string} text @returns {Promise<any[]>} */
export async function parseDocs(text) {
  const t = text.trim();
  if (t === '') return [];
  try {
    return [JSON.parse(t)];
  } catch {
    /* not JSON: YAML */
  }
  const y = await loadYaml();
  if (!y) throw new SimError('YAML input needs the yaml package next to the simulator');
  return y.parseAllDocuments(text).map((d) => d.toJSON()).filter((d) => d !== null && d !== undefined);
}

export async function toYaml(obj) {
  const y = await loadYaml();
  return y ? y.stringify(obj) : JSON.stringify(obj, null, 2) + '\n';
}

export function age(ts) {
  const s = Math.max(0, Math.floor((Date.now() - Date.parse(ts ?? new Date().toISOString())) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  if (s < 172800) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

/** Columns like Go's tabwriter with padding 3. @param {string[][]} rows */
export function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] + 3))).join('').trimEnd()).join('\n') + '\n';
}

const labelsText = (o) => Object.entries(o.metadata.labels ?? {}).map(([k, v]) => `${k}=${v}`).join(',') || '<none>';

/** Header and row builders per kind; `wide` adds columns. */
function columns(kind, wide) {
  switch (kind) {
    case 'Node':
      return {
        head: ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION', ...(wide ? ['INTERNAL-IP', 'OS-IMAGE', 'CONTAINER-RUNTIME'] : [])],
        row: (o) => {
          const ready = (o.status?.conditions ?? []).find((c) => c.type === 'Ready')?.status === 'True';
          const roles = Object.keys(o.metadata.labels ?? {}).filter((k) => k.startsWith('node-role.kubernetes.io/')).map((k) => k.split('/')[1]);
          return [
            o.metadata.name,
            (ready ? 'Ready' : 'NotReady') + (o.spec?.unschedulable ? ',SchedulingDisabled' : ''),
            roles.join(',') || '<none>',
            age(o.metadata.creationTimestamp),
            o.status?.nodeInfo?.kubeletVersion ?? '',
            ...(wide ? [(o.status?.addresses ?? [])[0]?.address ?? '<none>', 'Red Hat Enterprise Linux Server 7.5 (Maipo)', `docker://${o.status?.nodeInfo?.containerRuntimeVersion ?? '1.12.6'}`] : []),
          ];
        },
      };
    case 'Pod':
      return {
        head: ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', ...(wide ? ['IP', 'NODE'] : [])],
        row: (o) => [o.metadata.name, o.status?.phase === 'Running' ? '1/1' : '0/1', o.status?.phase ?? 'Running', '0', age(o.metadata.creationTimestamp), ...(wide ? ['10.128.0.1', o.spec?.nodeName ?? '<none>'] : [])],
      };
    case 'DeploymentConfig':
      return {
        head: ['NAME', 'REVISION', 'DESIRED', 'CURRENT', 'TRIGGERED BY'],
        row: (o) => [o.metadata.name, String(o.status?.latestVersion ?? 1), String(o.spec?.replicas ?? 1), String(o.status?.replicas ?? o.spec?.replicas ?? 1), 'config'],
      };
    case 'Subscription':
      return {
        head: ['NAME', 'PACKAGE', 'SOURCE', 'CHANNEL'],
        row: (o) => [o.metadata.name, o.spec?.name ?? '', o.spec?.source ?? '', o.spec?.channel ?? ''],
      };
    case 'ClusterServiceVersion':
      return {
        head: ['NAME', 'DISPLAY', 'VERSION', 'REPLACES', 'PHASE'],
        row: (o) => [o.metadata.name, o.spec?.displayName ?? '', o.spec?.version ?? '', o.spec?.replaces ?? '', o.status?.phase ?? 'Succeeded'],
      };
    case 'ImageBasedUpgrade':
      return {
        head: ['NAME', 'AGE', 'DESIRED STAGE', 'STATE', 'DETAILS'],
        row: (o) => {
          const c = (o.status?.conditions ?? [])[0];
          return [o.metadata.name, age(o.metadata.creationTimestamp), o.spec?.stage ?? 'Idle', c?.reason ?? 'Idle', c ? `${c.type}` : ''];
        },
      };
    default:
      return { head: ['NAME', 'AGE'], row: (o) => [o.metadata.name, age(o.metadata.creationTimestamp)] };
  }
}

/** The table `oc get` prints. @param {any[]} objs */
export function formatTable(kind, objs, { wide = false, showLabels = false, allNamespaces = false } = {}) {
  const c = columns(kind, wide);
  const rows = [[...(allNamespaces ? ['NAMESPACE'] : []), ...c.head, ...(showLabels ? ['LABELS'] : [])]];
  for (const o of objs) rows.push([...(allNamespaces ? [o.metadata.namespace ?? ''] : []), ...c.row(o), ...(showLabels ? [labelsText(o)] : [])]);
  return table(rows);
}

/** Resolve one jsonpath expression (".a.b[0]", ".items[*].x") against data: every match. */
function evalPath(data, expr) {
  let cur = [data];
  const re = /\.([^.[\]]+)|\[(\*|-?\d+)\]|\['([^']+)'\]/g;
  let m;
  const e = expr.trim();
  if (e === '' || e === '.' || e === '@') return cur;
  while ((m = re.exec(e))) {
    const next = [];
    for (const c of cur) {
      if (c === null || c === undefined) continue;
      const key = m[1] ?? m[3];
      if (key !== undefined) {
        if (key === '*') next.push(...Object.values(c));
        else if (c[key] !== undefined) next.push(c[key]);
      } else if (m[2] === '*') next.push(...(Array.isArray(c) ? c : Object.values(c)));
      else if (Array.isArray(c)) {
        const i = Number(m[2]);
        const v = c[i < 0 ? c.length + i : i];
        if (v !== undefined) next.push(v);
      }
    }
    cur = next;
  }
  return cur;
}

const show = (v) => (typeof v === 'string' ? v : JSON.stringify(v));

/** kubectl's jsonpath output: `{...}` expressions, literal text, `{range X}...{end}`. */
export function jsonpath(data, template) {
  const tokens = template.match(/\{[^{}]*\}|[^{]+/g) ?? [];
  const run = (toks, ctx) => {
    let out = '';
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i];
      if (!t.startsWith('{')) {
        out += t;
        continue;
      }
      const inner = t.slice(1, -1).trim();
      if (inner.startsWith('range ')) {
        let depth = 1;
        let j = i + 1;
        for (; j < toks.length; j++) {
          const x = toks[j].slice(1, -1).trim();
          if (toks[j].startsWith('{') && x.startsWith('range ')) depth++;
          if (toks[j].startsWith('{') && x === 'end' && --depth === 0) break;
        }
        for (const item of evalPath(ctx, inner.slice(6))) out += run(toks.slice(i + 1, j), item);
        i = j;
      } else if (/^"(.*)"$/s.test(inner)) {
        out += JSON.parse(inner);
      } else {
        out += evalPath(ctx, inner.replace(/^\$/, '')).map(show).join(' ');
      }
    }
    return out;
  };
  if (!template.includes('{')) throw new SimError(`error parsing jsonpath ${template}`);
  return run(tokens, data);
}
