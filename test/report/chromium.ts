// Loads a rollout report in Debian's chromium, headless, and reads what the browser's DOM holds:
// a probe script is appended to a copy of the report, runs in the page after the report's own
// script, and writes what it found (rows, windows, versions table, layout sizes, resources the
// page fetched, the filter at work) into a <pre> that `--dump-dom` prints. No npm dependency:
// chromium's own command line does the loading, the screenshot and the DOM dump.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../support/tmp.js';

export interface ProbeRow {
  host: string;
  group: string;
  batch: string;
  status: string;
  height: number;
  windows: { from: number; to: number; width: number }[];
  marks: string[];
}
export interface ProbeVersion {
  group: string;
  package: string;
  before: { v: string; n: number }[];
  after: { v: string; n: number }[];
}
export interface Probe {
  rows: ProbeRow[];
  versions: ProbeVersion[];
  maxOos: string;
  /** performance entries of fetched resources: must stay 0 (self-contained). */
  resources: number;
  scripts: { inline: number; external: number };
  /** rows left visible after typing `filterFor` into the filter box (and ticking "only hosts with problems" when asked) */
  filtered: number;
}

/** Why chromium cannot run here, or undefined. */
export function chromiumMissing(): string | undefined {
  return spawnSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).status === 0 ? undefined : 'chromium is not installed (bin/setup --test installs it)';
}

const PROBE = (filterFor: string, problemsOnly: boolean) => `<script>
(function(){
  var all=function(sel,root){return Array.prototype.slice.call((root||document).querySelectorAll(sel));};
  var rows=all('.r').map(function(r){return {host:r.dataset.host,group:r.dataset.group,batch:r.querySelector('.b').textContent,status:r.dataset.status,
    height:r.getBoundingClientRect().height,
    windows:all('.w',r).map(function(w){return {from:+w.dataset.from,to:+w.dataset.to,width:w.getBoundingClientRect().width};}),
    marks:all('.m',r).map(function(m){return m.className.replace('m ','');})};});
  var cell=function(tr,c){return all('.'+c+' .v',tr).map(function(s){return {v:s.dataset.v,n:+s.dataset.n};});};
  var versions=all('#versions-table tr[data-group]').map(function(tr){return {group:tr.dataset.group,package:tr.dataset.package,before:cell(tr,'before'),after:cell(tr,'after')};});
  var q=document.getElementById('q');q.value=${JSON.stringify(filterFor)};q.dispatchEvent(new Event('input'));
  var p=document.getElementById('p');p.checked=${problemsOnly};p.dispatchEvent(new Event('change'));
  var filtered=all('.r').filter(function(r){return r.getBoundingClientRect().height>0;}).length;
  var scripts=all('script');
  var out={rows:rows,versions:versions,maxOos:document.getElementById('max-oos').textContent,resources:performance.getEntriesByType('resource').length,
    scripts:{inline:scripts.filter(function(s){return !s.src;}).length,external:scripts.filter(function(s){return s.src;}).length},filtered:filtered};
  var pre=document.createElement('pre');pre.id='probe';pre.textContent=JSON.stringify(out);document.body.appendChild(pre);
})();
</script>`;

function chromium(args: string[], dir: string): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync('chromium', ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', `--user-data-dir=${join(dir, 'profile')}`, ...args], {
    encoding: 'utf8', maxBuffer: 256 << 20, timeout: 120_000,
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

/** The report's DOM as chromium builds it (the probe's findings), and a screenshot when `png` is set. */
export function loadInChromium(htmlFile: string, o: { png?: string; filterFor?: string; problemsOnly?: boolean; width?: number; height?: number } = {}): Probe {
  const dir = tempDir('drover-report-chromium-');
  try {
    const html = readFileSync(htmlFile, 'utf8');
    const probed = join(dir, 'probed.html');
    writeFileSync(probed, html.replace('</body>', `${PROBE(o.filterFor ?? '', o.problemsOnly === true)}</body>`));
    if (o.png) {
      const shot = chromium([`--window-size=${o.width ?? 1400},${o.height ?? 1100}`, `--screenshot=${o.png}`, `file://${htmlFile}`], dir);
      if (shot.status !== 0) throw new Error(`chromium --screenshot failed: ${shot.stderr.slice(-2000)}`);
    }
    const dump = chromium(['--window-size=1400,1100', '--dump-dom', `file://${probed}`], dir);
    const m = /<pre id="probe">([\s\S]*?)<\/pre>/.exec(dump.stdout);
    if (!m) throw new Error(`no probe output from chromium --dump-dom (status ${dump.status}): ${dump.stderr.slice(-2000)}`);
    const text = m[1].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
    return JSON.parse(text) as Probe;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
