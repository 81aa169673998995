// Differential cases for issue 14's text, path, URL and date filters and for the file, math, URI,
// truthy and version tests, rendered by drover and by ansible-core 2.14's Templar. The file tests
// run against a small temporary tree (a file, a symlink to it, a broken symlink, a directory).
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RenderCase } from './ansible.js';
import { tempDir } from '../support/tmp.js';

function fixture(): string {
  const dir = tempDir('drover-tpl-');
  writeFileSync(join(dir, 'f.txt'), 'x');
  writeFileSync(join(dir, 'g.txt'), 'y');
  writeFileSync(join(dir, '.hidden.txt'), 'z');
  mkdirSync(join(dir, 'd'));
  symlinkSync('f.txt', join(dir, 'lnk'));
  symlinkSync('nowhere', join(dir, 'broken'));
  return dir;
}

const V = { fs: fixture() };
const t = (tpl: string): RenderCase => ({ t: tpl, v: V });
const e = (tpl: string, err: string): RenderCase => ({ t: tpl, v: V, err });

export const ISSUE14_DATA_CASES: RenderCase[] = [
  // paths (posixpath, ntpath) and fileglob
  ...[
    '{{ "/a/b/"|dirname }}', '{{ "//x"|dirname }}', '{{ "a"|dirname }}', '{{ "$HOME/x ${HOME} $NOPE_NOT_SET ${NOPE}"|expandvars }}',
    '{{ (fs ~ "/lnk")|realpath == (fs ~ "/f.txt")|realpath }}', '{{ "/a/b/c"|relpath("/a/x") }}', '{{ "/a/b"|relpath("/a/b") }}',
    '{{ "a/b.tar.gz"|splitext }}', '{{ ".bashrc"|splitext }}', '{{ "a/..b"|splitext }}', '{{ "a.d/b"|splitext }}',
    '{{ "foo"|path_join }}', '{{ ["/a", "b", "/c", "d"]|path_join }}', '{{ ["a", ""]|path_join }}', '{{ ("a", "b")|path_join }}',
    '{{ "C:\\\\Users\\\\x\\\\file.txt"|win_basename }}', '{{ "C:\\\\Users\\\\x\\\\file.txt"|win_dirname }}', '{{ "C:\\\\Users\\\\x\\\\file.txt"|win_splitdrive }}',
    '{{ "\\\\\\\\server\\\\share\\\\dir\\\\f"|win_splitdrive }}', '{{ "c:/dir/"|win_dirname }}', '{{ "C:"|win_splitdrive }}',
    '{{ (fs ~ "/*.txt")|fileglob|sort|map("basename")|list }}', '{{ (fs ~ "/*")|fileglob|map("basename")|sort }}', '{{ (fs ~ "/nothing*")|fileglob }}',
    '{{ (fs ~ "/f.txt")|fileglob|length }}',
  ].map(t),
  e('{{ True|path_join }}', "|path_join expects string or sequence, got <class 'bool'> instead."),
  // regular expressions, base64, urls
  ...[
    "{{ 'hello' | regex_search('HELLO', ignorecase=true) }}", "{{ 'hello\\nworld' | regex_search('^world', multiline=true) }}",
    '{{ "hEllo there heLlo haha HELLO there"|regex_findall("h.... ", ignorecase=True) }}', '{{ "a\\nb\\nab"|regex_findall("^a", True) }}',
    '{{ "a\\nb\\nAb"|regex_findall("^a", True, True) }}', '{{ "]]^"|regex_escape(re_type="posix_basic") }}',
    "{{ 'Ansible - くらとみ\\n' | b64encode(encoding='utf-16-le') }}", "{{ 'QQBuAHMAaQBiAGwAZQAgAC0AIABPMIkwaDB/MAoA' | b64decode(encoding='utf-16-le') }}",
    "{{ 'abc' | b64encode(encoding='utf-16') }}", "{{ '//79' | b64decode(encoding='latin-1') }}",
    "{{ 'key%3D%22%40%7B%7D%C3%A9%26%25%C2%A3%20foo%20bar%20%27%28%3B%5C%3C%3E%22%22%C2%B0%29'|urldecode }}", "{{ 'a+b%2Bc%zz%e9'|urldecode }}",
    "{{ 'key=\"@{}é&%£ foo'|urlencode }}", "{{ {'foo': 'bar', 'baz': 'b z/x'}|urlencode }}", "{{ [['a', 'b c'], ['d', 'e/f']]|urlencode }}", '{{ ()|urlencode }}',
    "{{ 'http://mary:MySecret@www.acme.com:9000/dir/index.html?query=term#fragment' | urlsplit }}", "{{ 'HTTP://[::1]:80/x' | urlsplit }}",
    "{{ 'admin:secret@example.com' | urlsplit }}", "{{ 'urn:isbn:9780307476463' | urlsplit }}", "{{ 'file:///etc/hosts' | urlsplit('path') }}",
    "{{ '//host/p' | urlsplit }}", "{{ 'http://user@Host.COM' | urlsplit('hostname') }}", "{{ 'http://h:9000/' | urlsplit('port') }}",
  ].map(t),
  e("{{ 'hello' | regex_search('hello', 'unknown') }}", 'Unknown argument'),
  e('{{ "]]^"|regex_escape(re_type="posix_extended") }}', 'Regex type (posix_extended) not yet implemented'),
  e('{{ "]]^"|regex_escape(re_type="haha") }}', 'Invalid regex type (haha)'),
  e("{{ 'http://www.acme.com:9000/dir/index.html' | urlsplit('bad_filter') }}", 'urlsplit: unknown URL component: bad_filter'),
  e("{{ 'http://[::1/x' | urlsplit }}", 'Invalid IPv6 URL'),
  e("{{ 'http://host:abc/x' | urlsplit }}", "Port could not be cast to integer value as 'abc'"),
  e("{{ 'http://host:99999' | urlsplit }}", 'Port out of range 0-65535'),
  // dates
  ...[
    '{{ "%Y-%m-%d"|strftime(1585247522) }}', '{{ "%Y-%m-%d"|strftime("1585247522.0") }}', '{{ "%Y-%m-%d %H:%M:%S %z %Z"|strftime(1585247522, utc=True) }}',
    '{{ "%c|%x|%X|%D|%R|%r|%u|%V|%G|%g|%U|%W|%C|%k|%l|%P|%e|%j|%a %A %b %B|%f|%s|%%"|strftime(1585247522, utc=True) }}',
    '{{ "%V %G %U %W"|strftime(1609459200, utc=True) }}', '{{ "%V %G %U %W %j"|strftime(1640995200, utc=True) }}', '{{ ("%Y"|strftime(None)) is match("20") }}',
    '{{ "1993-03-26 01:23:45"|to_datetime < "1994-03-26 01:23:45"|to_datetime }}', '{{ ("2020-03-26 01:23:45"|to_datetime).year }}',
    '{{ ("26/03/2020"|to_datetime("%d/%m/%Y")).strftime("%A %d %B") }}', '{{ (("2020-03-27 00:00:00"|to_datetime) - ("2020-03-26 01:23:45"|to_datetime)).seconds }}',
  ].map(t),
  e('{{ "%Y"|strftime("foo") }}', 'Invalid value for epoch value (foo)'),
  e('{{ "2020-03-26"|to_datetime }}', "time data '2020-03-26' does not match format '%Y-%m-%d %H:%M:%S'"),
  // file tests (files.py)
  ...[
    "{{ '.' is is_dir }}", '{{ (fs ~ "/d") is directory }}', "{{ 'does_not_exist' is directory }}", '{{ (fs ~ "/f.txt") is file }}', '{{ (fs ~ "/lnk") is file }}',
    '{{ (fs ~ "/broken") is link }}', '{{ (fs ~ "/broken") is exists }}', '{{ (fs ~ "/broken") is link_exists }}', '{{ (fs ~ "/lnk") is is_link }}',
    "{{ '/' is abs }}", "{{ '../' is is_abs }}", "{{ '/' is same_file('/') }}", '{{ (fs ~ "/lnk") is is_same_file(fs ~ "/f.txt") }}',
    "{{ '/' is mount }}", "{{ '/proc' is is_mount }}", '{{ fs is mount }}', "{{ '/does_not_exist' is mount }}",
  ].map(t),
  e("{{ '/' is same_file('/nope') }}", "[Errno 2] No such file or directory: '/nope'"),
  // math, uri, truthy, version tests
  ...[
    '{{ [1] is issubset([1, 2]) }}', '{{ [1] is subset([2]) }}', '{{ [1, 2] is superset([1]) }}', '{{ [1, 2] is issuperset([1, 3]) }}', '{{ "ab" is subset("abc") }}',
    '{{ [1] is contains(1) }}', '{{ "abc" is contains("b") }}', '{{ {"a": 1} is contains("a") }}', "{{ 'bad' is nan }}", '{{ 1.1 is nan }}',
    "{{ 'nan' | float is isnan }}", "{{ 'http://searchengine.tld' is uri }}", "{{ 'asldkfjhalsidfthjo' is uri }}", "{{ 'asldkfjhalsidfthjo' is uri(['http']) }}",
    "{{ 'admin:secret@example.com' is uri }}", "{{ 'admin:secret@example.com' is url }}", "{{ 'htp://searchengine.tld' is url(['http', 'https']) }}",
    "{{ 'ftp:// searchengine.tld' is url }}", "{{ 'file://etc/hosts' is url }}", "{{ 'urn:isbn:9780307476463' is urn }}", "{{ 'urn:isbn:9780307476463' is url }}",
    "{{ 'http://x' is uri('http') }}", '{{ 5 is uri }}', "{{ 'http://[::1' is uri }}",
    '{{ "on" is truthy(convert_bool=True) }}', '{{ "off" is truthy(convert_bool=True) }}', '{{ "fred" is truthy(convert_bool=True) }}',
    '{{ "off" is falsy(convert_bool=True) }}', '{{ 2 is truthy(convert_bool=True) }}',
    "{{ '2.14.0rc1' is version('2.14.0', 'lt', version_type='pep440') }}", "{{ '1.0.dev1' is version('1.0a1', 'lt', version_type='pep440') }}",
    "{{ '1.0.post1' is version('1.0', 'gt', version_type='pep440') }}", "{{ '1.0+local.7' is version('1.0+local.abc', 'gt', version_type='pep440') }}",
    "{{ '1!0.1' is version('2.0', 'gt', version_type='pep440') }}", "{{ '1.0' is version('1.0.0', '==', version_type='pep440') }}",
    "{{ '1.2.3' is version('2.0.0', 'lt', version_type='semver') }}",
  ].map(t),
  e('{{ [[1]] is subset([[1]]) }}', "unhashable type: 'list'"),
  e("{{ 'nope' is version('1.0', version_type='pep440') }}", "Version comparison failed: Invalid version: 'nope'"),
  e("{{ '1.0' is version('1.0', 'equals') }}", "Invalid operator type (equals). Must be one of '==', '=', 'eq'"),
  e("{{ '1.0' is version('1.0', strict=False, version_type='loose') }}", "Cannot specify both 'strict' and 'version_type'"),
  e("{{ '1.0' is version('1.0', version_type='boom') }}", "Invalid version type (boom). Must be one of 'loose', 'strict', 'semver', 'semantic', 'pep440'"),
  e("{{ '' is version('1.0') }}", 'Input version value cannot be empty'),
  e("{{ '1.0' is version('') }}", 'Version parameter to compare against cannot be empty'),
];
