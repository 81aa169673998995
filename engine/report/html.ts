// Renders the report's view model (model.ts) as one self-contained HTML file: styles and the one
// small script are inline, nothing is fetched, and the page reads without the script (it only
// filters rows). The markup carries what a test or a tool needs as data attributes (each row's
// host, group, batch and status; each out-of-service window's epoch-ms bounds), so the page is
// its own machine-readable record. Kept lean per host: at 1,000 hosts the file must stay small.
import type { BatchView, HostRow, Mark, ReportView } from './model.js';
import type { VersionCount } from './versions.js';

const esc = (s: unknown): string =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** "1 min 38 s", "12 s", "850 ms". */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:1.2rem;color:#1d2430;background:#fff}
h1{font-size:1.35rem;margin:0 0 .3rem}h2{font-size:1.05rem;margin:1.4rem 0 .5rem}
.sum{margin:.2rem 0 .8rem;color:#333}.sum b{font-weight:600}.bad{color:#b3261e}
table{border-collapse:collapse;font-size:13px}td,th{border-bottom:1px solid #e3e6ea;padding:2px 8px;text-align:left;vertical-align:top}
th{background:#f4f6f8;font-weight:600}td.n,.recap td+td{text-align:right;font-variant-numeric:tabular-nums}
.note{color:#8a5a00}.legend span{margin-right:1rem;white-space:nowrap}.legend i,.legend b{margin:0 .3rem 0 0}.legend b{position:static;display:inline-block;width:10px;height:10px;vertical-align:middle}
.tl{position:relative;border:1px solid #d5d9de;font-size:12px}
.r,.ax{display:grid;grid-template-columns:12rem 11rem 1fr;min-height:15px;border-bottom:1px solid #f0f2f4}
.r:nth-child(even){background:#fafbfc}.r[data-status=failed] .h{color:#b3261e;font-weight:600}.r[data-status=unreachable] .h{color:#6b21a8;font-weight:600}
.h,.b{overflow:hidden;white-space:nowrap;text-overflow:ellipsis;padding:0 4px}.b{color:#556}
.t{position:relative}.ax .t{height:16px;color:#667}.ax .t span{position:absolute;top:1px;transform:translateX(-50%)}
.bd{position:absolute;top:0;bottom:0;left:23rem;right:0;pointer-events:none}.bd i{position:absolute;top:0;bottom:0;width:0;height:auto;border-radius:0;border-left:1px dashed #8aa4c8}
.w{position:absolute;top:2px;bottom:2px;background:#ffe0b0;border:1px solid #e69a2e;border-radius:2px;min-width:2px}.w.o{background:#ffc7c0;border-color:#b3261e}
i{width:8px;height:8px;border-radius:50%}.t i{position:absolute;top:3px;margin-left:-4px}.legend i{display:inline-block;vertical-align:middle}
i.pkg{background:#2563eb}i.hook{background:#7c3aed;border-radius:1px}i.restart{background:#0d9488;transform:rotate(45deg);border-radius:1px}
i.reboot{background:#fff;border:2px solid #dc2626;width:6px;height:6px}i.drain{background:#92400e;width:3px;border-radius:0}.t i.drain{margin-left:-1px}
i.failed{background:#dc2626;width:10px;height:10px;border-radius:0}i.unreachable{background:#111;width:10px;height:10px;border-radius:0}.t i.failed,.t i.unreachable{top:2px;margin-left:-5px}
.budget{display:inline-block;width:120px;height:9px;background:#e8ecf0;position:relative;vertical-align:middle}
.budget b{position:absolute;top:0;bottom:0;left:0;background:#16a34a}.budget.x b{background:#dc2626}
.ctl{margin:.3rem 0}.ctl input[type=search]{width:16rem}.hide{display:none}
`;

const SCRIPT = `
(function(){var q=document.getElementById('q'),p=document.getElementById('p');
function f(){var s=q.value.toLowerCase(),rows=document.querySelectorAll('.r');
for(var i=0;i<rows.length;i++){var r=rows[i],t=(r.dataset.host+' '+r.dataset.group+' '+r.textContent).toLowerCase();
var show=(!s||t.indexOf(s)>=0)&&(!p.checked||r.dataset.status!=='ok');r.classList.toggle('hide',!show);}}
q.addEventListener('input',f);p.addEventListener('change',f);})();
`;

function pct(v: ReportView, t: number): string {
  const span = Math.max(1, v.end - v.start);
  return `${Math.min(100, Math.max(0, ((t - v.start) / span) * 100)).toFixed(1)}%`;
}

function axis(v: ReportView): string {
  const span = Math.max(1, v.end - v.start);
  const step = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200].find((s) => span / (s * 1000) <= 10) ?? 14400;
  const ticks: string[] = [];
  for (let s = 0; s * 1000 <= span; s += step) {
    const label = s >= 60 ? `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}` : `${s}s`;
    ticks.push(`<span style="left:${pct(v, v.start + s * 1000)}">${label}</span>`);
  }
  return `<div class=ax><span class=h><b>host</b></span><span class=b><b>batch</b></span><span class=t>${ticks.join('')}</span></div>`;
}

function mark(v: ReportView, m: Mark): string {
  return `<i class=${m.kind} style=left:${pct(v, m.t)} title="${esc(m.label)}"></i>`;
}

function row(v: ReportView, h: HostRow): string {
  const wins = h.windows
    .map((w) => {
      const width = `${Math.max(0, ((w.to - w.from) / Math.max(1, v.end - v.start)) * 100).toFixed(1)}%`;
      const title = `out of service ${duration(w.to - w.from)}${w.open ? ' (still out at the end)' : ''}`;
      return `<b class="w${w.open ? ' o' : ''}" style="left:${pct(v, w.from)};width:${width}" data-from=${w.from} data-to=${w.to} title="${title}"></b>`;
    })
    .join('');
  return `<div class=r data-host="${esc(h.host)}" data-group="${esc(h.group)}" data-batch=${h.batchRef} data-status=${h.status}><span class=h title="${esc(h.host)}">${esc(h.host)}</span><span class=b title="${esc(h.batch)}">${esc(h.batch)}</span><span class=t>${wins}${h.marks.map((m) => mark(v, m)).join('')}</span></div>`;
}

function timeline(v: ReportView): string {
  const bounds = v.batches.filter((b) => b.count > 1).map((b) => `<i style="left:${pct(v, b.start)}" title="${esc(`${b.play}: batch ${b.index + 1}/${b.count}`)}"></i>`);
  const legend = [
    ['w', 'out of service (cordon/drain → schedulable)'], ['pkg', 'package change'], ['hook', 'hook run'], ['restart', 'service restart'],
    ['reboot', 'reboot'], ['drain', 'drained'], ['failed', 'failed'], ['unreachable', 'unreachable'],
  ].map(([c, t]) => (c === 'w' ? `<span><b class=w></b>${t}</span>` : `<span><i class=${c}></i>${t}</span>`));
  return `<section id=timeline><h2>Timeline</h2><p class=legend>${legend.join('')}<span>dashed line: a batch starts</span></p>
<p class=ctl><input id=q type=search placeholder="filter hosts, groups, batches"> <label><input id=p type=checkbox> only hosts with problems</label></p>
<div class=tl>${axis(v)}<div class=bd>${bounds.join('')}</div>
${v.hosts.map((h) => row(v, h)).join('\n')}
</div></section>`;
}

function budget(b: BatchView): string {
  if (b.maxFailPercentage === undefined) return '<td>-</td><td>stops only when every host of the batch fails</td>';
  const allowed = b.allowed ?? 0;
  const used = allowed ? Math.min(100, (b.failed.length / allowed) * 100) : b.failed.length ? 100 : 0;
  return `<td class=n>${b.maxFailPercentage}%</td><td><span class="budget${b.exceeded ? ' x' : ''}"><b style="width:${used.toFixed(0)}%"></b></span> ${b.failed.length} of ${allowed} allowed${b.exceeded ? ' <b class=bad>exceeded: the play stopped</b>' : ''}</td>`;
}

function batchTable(v: ReportView): string {
  const rows = v.batches.map(
    (b) =>
      `<tr data-play="${esc(b.play)}" data-index=${b.index}><td>${esc(b.play)}</td><td class=n>${b.index + 1}/${b.count}</td><td class=n>${b.hosts.length}</td><td>${duration(b.end - b.start)}</td>` +
      `<td class=n>${b.failed.length}</td><td class=n>${b.unreachable.length}</td>${budget(b)}</tr>`,
  );
  const more = v.singleBatchPlays ? `<p>${v.singleBatchPlays} other plays ran as one batch without a failure budget and without failures.</p>` : '';
  return `<section id=batches><h2>Batches and failure budgets</h2><table><tr><th>play</th><th>batch</th><th>hosts</th><th>took</th><th>failed</th><th>unreachable</th><th>max_fail_percentage</th><th>budget</th></tr>${rows.join('')}</table>${more}</section>`;
}

function versionCell(list: VersionCount[]): string {
  return list.map((c) => `<span class=v data-v="${esc(c.version)}" data-n=${c.hosts}>${esc(c.version || '(not installed)')} ×${c.hosts}</span>`).join('<br>');
}

function versionTable(v: ReportView): string {
  if (!v.versions.length) return '<section id=versions><h2>Versions before and after</h2><p>No package changed during the run (or no lab events were given).</p></section>';
  const rows = v.versions.map(
    (g) => `<tr data-group="${esc(g.group)}" data-package="${esc(g.package)}"><td>${esc(g.group)}</td><td>${esc(g.package)}</td><td class=n>${g.hosts}</td><td class=before>${versionCell(g.before)}</td><td class=after>${versionCell(g.after)}</td></tr>`,
  );
  return `<section id=versions><h2>Versions before and after, per group</h2><table id=versions-table><tr><th>group</th><th>package</th><th>hosts</th><th>before</th><th>after</th></tr>${rows.join('\n')}</table></section>`;
}

function recapTable(v: ReportView): string {
  const keys = ['ok', 'changed', 'unreachable', 'failed', 'skipped', 'rescued', 'ignored'] as const;
  // closing tags left out (valid HTML): the recap has a row per host, and 1,000 hosts add up
  const rows = v.recap.map((r) => `<tr><td>${esc(r.host)}${keys.map((k) => ((k === 'failed' || k === 'unreachable') && r[k] ? `<td class=bad>${r[k]}` : `<td>${r[k]}`)).join('')}`);
  return `<section id=recap><h2>Recap</h2><table class=recap><tr><th>host</th>${keys.map((k) => `<th>${k}</th>`).join('')}</tr>${rows.join('\n')}</table></section>`;
}

function paramTable(v: ReportView): string {
  const rows = v.params.map((p) => `<tr><th>${esc(p.name)}</th><td>${esc(p.value)}</td></tr>`);
  return `<section id=params><h2>Parameters</h2><table>${rows.join('')}</table></section>`;
}

export function renderReport(v: ReportView): string {
  const c = v.counts;
  const bad = (n: number, what: string) => `<b${n ? ' class=bad' : ''}>${n}</b> ${what}`;
  const summary = [
    `<b>${c.hosts}</b> hosts`, bad(c.failed, 'failed'), bad(c.unreachable, 'unreachable'), `<b>${c.packageChanges}</b> package changes`,
    `<b>${c.hookRuns}</b> hook runs`, `<b>${c.restarts}</b> restarts`, `<b>${c.reboots}</b> reboots`,
    `most out of service at once: <b id=max-oos>${c.maxOutOfService}</b> (longest ${duration(c.longestOutOfServiceMs)})`,
    `${new Date(v.start).toISOString().replace('T', ' ').slice(0, 19)} UTC, ${duration(v.end - v.start)}`,
  ].join(' · ');
  return `<!doctype html><html lang=en><head><meta charset=utf-8><meta name=viewport content="width=device-width,initial-scale=1">
<title>drover report: ${esc(v.title)}</title><style>${STYLE}</style></head><body>
<h1>Rollout report: ${esc(v.title)}</h1><p class=sum>${summary}</p>
${v.notes.map((n) => `<p class=note>${esc(n)}</p>`).join('')}
${timeline(v)}
${batchTable(v)}
${versionTable(v)}
${recapTable(v)}
${paramTable(v)}
<script>${SCRIPT}</script></body></html>
`;
}
