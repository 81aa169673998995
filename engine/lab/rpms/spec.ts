// One catalogue entry → one rpm spec file (pure). Every binary package gets a tiny payload
// (/usr/share/<name>/VERSION, plus its config files) and Lua scriptlets. Lua, not sh, because Lua
// runs inside rpm itself: the packages then install into any root (an empty --installroot in the
// tests, a lab host's chroot) without needing /bin/sh there, and carry no /bin/sh dependency.
//
// The packages know nothing of the lab: the lab sees package changes in the host's rpm database
// (../witness/rpmdb.ts), whoever made them.
import { evr, type BinaryPkg, type SourcePkg } from './catalog.js';


/** rpm expands macros in every section, scriptlets included: a literal % must be written %%. */
function esc(s: string): string {
  return s.replace(/%/g, '%%');
}

function luaStr(s: string): string {
  return JSON.stringify(s);
}

/** Lua that edits yum.conf's [main] exclude=: drop the `family` entries, then add `add`. */
export function luaExcludeEdit(add: string[], family: string[]): string {
  return `local function edit_exclude(add, family)
  local path = "/etc/yum.conf"
  local f = io.open(path)
  local text = ""
  if f then text = f:read("*a") or ""; f:close() end
  if text:sub(-1) ~= "\\n" and text ~= "" then text = text .. "\\n" end
  local lines, drop = {}, {}
  for _, n in ipairs(family) do drop[n] = true end
  for l in text:gmatch("(.-)\\n") do lines[#lines + 1] = l end
  local sect, mainAt, exAt = nil, nil, nil
  for i, l in ipairs(lines) do
    local s = l:match("^%s*%[(.-)%]")
    if s then sect = s; if s == "main" then mainAt = i end
    elseif sect == "main" and l:match("^%s*exclude%s*=") then exAt = i end
  end
  local entries, seen = {}, {}
  if exAt then
    for e in lines[exAt]:gsub("^%s*exclude%s*=", ""):gmatch("[^%s,]+") do
      if not drop[e] and not seen[e] then entries[#entries + 1] = e; seen[e] = true end
    end
  end
  for _, e in ipairs(add) do if not seen[e] then entries[#entries + 1] = e; seen[e] = true end end
  local line = "exclude=" .. table.concat(entries, " ")
  if exAt then lines[exAt] = line
  elseif #add > 0 then
    if not mainAt then table.insert(lines, 1, "[main]"); mainAt = 1 end
    table.insert(lines, mainAt + 1, line)
  else return end
  local o = io.open(path, "w")
  if o then o:write(table.concat(lines, "\\n") .. "\\n"); o:close() end
end
edit_exclude({${add.map(luaStr).join(', ')}}, {${family.map(luaStr).join(', ')}})`;
}

/**
 * The excluders' scriptlets: %post adds their yum.conf entries, %postun on erase removes them
 * (bodies wrapped in pcall: a hiccup must never fail a transaction). Other packages have none.
 */
function scriptlets(p: BinaryPkg, family: string[], main: boolean): string {
  if (!p.excludes) return '';
  const n = main ? '' : ` -n ${p.name}`;
  const wrap = (body: string) => `pcall(function()\n${body}\nend)`;
  return [
    `%post${n} -p <lua>\n${esc(wrap(luaExcludeEdit(p.excludes, family)))}\n`,
    `%postun${n} -p <lua>\n${esc(wrap(`if arg[2] == 0 then\n${luaExcludeEdit([], family)}\nend`))}\n`,
  ].join('\n');
}

/** The excluder command shipped in the excluder packages: same edit as the scriptlets, in sh + awk. */
export function excluderTool(name: string, add: string[], family: string[]): string {
  return `#!/bin/sh
# ${name}: add (exclude) or remove (unexclude) this package's entries in /etc/yum.conf exclude=.
conf=/etc/yum.conf
add='${add.join(' ')}'
family='${family.join(' ')}'
edit() {
  [ -f "$conf" ] || printf '[main]\\n' > "$conf"
  awk -v add="$1" -v family="$family" '
    BEGIN { n = split(family, f, " "); for (i = 1; i <= n; i++) drop[f[i]] = 1 }
    function entries(line,   out, k, m, e, seen) {
      sub(/^[ \\t]*exclude[ \\t]*=/, "", line); gsub(/,/, " ", line)
      m = split(line, e, " "); out = ""
      for (k = 1; k <= m; k++) if (!(e[k] in drop) && !(e[k] in seen)) { out = out (out == "" ? "" : " ") e[k]; seen[e[k]] = 1 }
      m = split(add, e, " ")
      for (k = 1; k <= m; k++) if (!(e[k] in seen)) { out = out (out == "" ? "" : " ") e[k]; seen[e[k]] = 1 }
      return out
    }
    /^[ \\t]*\\[/ { if (sect == "main" && !done && add != "") { print "exclude=" entries(""); done = 1 }
                  sect = $0; gsub(/^[ \\t]*\\[|\\].*$/, "", sect); print; next }
    sect == "main" && /^[ \\t]*exclude[ \\t]*=/ { print "exclude=" entries($0); done = 1; next }
    { print }
    END { if (sect == "main" && !done && add != "") print "exclude=" entries("") }
  ' "$conf" > "$conf.tmp.$$" && cat "$conf.tmp.$$" > "$conf" && rm -f "$conf.tmp.$$"
}
case "$1" in
  exclude) edit "$add" ;;
  unexclude) edit '' ;;
  status)
    first=\${add%% *}
    if sed -n 's/^[[:space:]]*exclude[[:space:]]*=//p' "$conf" 2>/dev/null | tr ' ,' '\\n\\n' | grep -Fqx -- "$first"; then
      echo 'exclude -- All packages excluded'; else echo 'unexclude -- At least one package not excluded'; fi ;;
  *) echo "usage: ${name} exclude|unexclude|status" >&2; exit 2 ;;
esac
`;
}

/** A file the package ships; build.ts writes it into a staging tree that %install copies. */
export interface StagedFile {
  path: string;
  content: string;
  mode: string;
}

function payload(p: BinaryPkg, vr: string, family: string[]): { staged: StagedFile[]; files: string } {
  const files: { path: string; content: string; mode?: string; config?: boolean }[] = [
    { path: `/usr/share/${p.name}/VERSION`, content: `${vr}\n` },
    ...(p.files ?? []),
  ];
  if (p.excludes) files.push({ path: `/usr/sbin/${p.name}`, content: excluderTool(p.name, p.excludes, family), mode: '0755' });
  const list = files.map((f) => (f.config ? `%config(noreplace) ${f.path}` : f.path));
  return {
    staged: files.map((f) => ({ path: f.path, content: f.content, mode: f.mode ?? '0644' })),
    files: [`%dir /usr/share/${p.name}`, ...list].join('\n'),
  };
}

export interface Spec {
  text: string;
  /** Files to place under the staging directory named in the spec's %install. */
  staged: StagedFile[];
}

/** Directory under rpmbuild's SOURCES that holds the package's files before %install copies them. */
export function stageName(src: SourcePkg): string {
  return `${src.name}-${src.version}-${src.release}`;
}

/** The spec file for one source package; `families` maps excluder names to every entry any version adds. */
export function specText(src: SourcePkg, families: Record<string, string[]> = {}): Spec {
  const vr = `${src.version}-${src.release}`;
  const stageDir = `%{_sourcedir}/${stageName(src)}`;
  const head = [
    `Name: ${src.name}`,
    ...(src.epoch !== undefined ? [`Epoch: ${src.epoch}`] : []),
    `Version: ${src.version}`,
    `Release: ${src.release}`,
    `Summary: ${src.summary}`,
    'License: ASL 2.0',
    'BuildArch: noarch',
    'AutoReqProv: no',
  ];
  const deps = (p: BinaryPkg) => [...(p.requires ?? []).map((r) => `Requires: ${r}`), ...(p.provides ?? []).map((r) => `Provides: ${r}`)];
  const parts: string[] = [];
  const staged: StagedFile[] = [];
  const sections: string[] = [];
  src.packages.forEach((p, i) => {
    const main = i === 0 && p.name === src.name;
    const fam = families[p.name] ?? p.excludes ?? [];
    if (main) head.push(...deps(p));
    // AutoReqProv is per package: without it here a shebang would add Requires: /bin/sh.
    else parts.push(`%package -n ${p.name}`, `Summary: ${p.name} (${src.summary})`, 'AutoReqProv: no', ...deps(p), '', `%description -n ${p.name}`, `${p.name} for the drover lab.`, '');
    const pl = payload(p, vr, fam);
    staged.push(...pl.staged);
    sections.push(scriptlets(p, fam, main), `%files${main ? '' : ` -n ${p.name}`}\n${pl.files}\n`);
  });
  const text = [
    ...head,
    '',
    '%description',
    `${src.summary} (drover lab package ${evr(src)}).`,
    '',
    ...parts,
    '%install',
    // One cp instead of a mkdir/cat/chmod per file: process start-up dominates rpmbuild's time.
    `mkdir -p %{buildroot} && cp -a ${stageDir}/. %{buildroot}/`,
    '',
    ...sections,
  ].join('\n');
  return { text, staged };
}
