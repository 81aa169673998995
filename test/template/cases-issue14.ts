// Differential cases for the filters and tests of issue 14 (ansible-core 2.14's mathstuff, core,
// urls, urlsplit, files, uri and test/core plugins), rendered by drover and by Ansible's Templar.
// `err` cases must fail in both with that text (the integration targets assert on these messages).
// Integral floats print as ints in drover (README), so such results are compared with `==`.
import type { RenderCase } from './ansible.js';

const V = { fruits: [{ name: 'apple', enjoy: true }, { name: 'orange', enjoy: false }, { name: 'strawberry', enjoy: true }] };
const t = (tpl: string): RenderCase => ({ t: tpl, v: V });
const e = (tpl: string, err: string): RenderCase => ({ t: tpl, v: V, err });

export const ISSUE14_CASES: RenderCase[] = [
  // set theory: Python sets (CPython's iteration order) for hashable input, unique lists otherwise
  ...[
    '{{ [1,2,3]|intersect([3,2,1]) }}', '{{ (1,2,3)|intersect((3,4,5,6))|list }}', '{{ ("a","A","b")|intersect(("b","B","c","C"))|list }}',
    '{{ ["a","A","b"]|intersect(["b","A","a"]) }}', '{{ [1,2,3]|difference([3,4,5,6]) }}', '{{ (1,2,3,4,5,6,7,8,9)|difference((9,))|list }}',
    '{{ ["a","A","b"]|symmetric_difference(["b","B","c","C"]) }}', '{{ (1,2,3)|symmetric_difference((4,5,6))|list }}',
    '{{ (1,2,3)|symmetric_difference((3,4,5,6))|list }}', '{{ (1,17)|symmetric_difference((1,9))|list }}', '{{ (8,1,16,3)|union((24,2))|list }}',
    '{{ (100,7,12)|intersect((12,100,5,6))|list }}', '{{ ((1,2),(3,4))|union(((3,4),(5,6)))|list }}', '{{ (1.5,2.25,-3)|union((-1,0.1))|list }}',
    '{{ "abc"|intersect("bcd")|list|sort }}', '{{ "abc"|intersect("bcd")|type_debug }}', '{{ (1,2)|union((3,))|type_debug }}',
    '{{ [1,2,3]|union([{}]) }}', '{{ [1,2,3]|union([4,5])|union([6,7]) }}',
    '{{ [1, True, 1.0, "a", "A"]|unique }}', '{{ ["a","A",[1]]|unique }}', '{{ ["a", "b", "A", "B"]|unique(case_sensitive=True) }}',
    '{{ [{"foo": "bar", "moo": "cow"}, {"foo": "bar", "moo": "mar"}]|unique(attribute="foo") }}', '{{ {"foo": "bar", "moo": "cow"}|unique }}',
    '{{ "foo"|unique }}', '{{ [{"a": 3}, {"a": 1}]|min(attribute="a") }}', '{{ ["B", "a", "C"]|max }}', '{{ ["B", "a", "C"]|max(case_sensitive=True) }}',
  ].map(t),
  e('{{ [1,2]|union((3,)) }}', 'can only concatenate list (not "tuple") to list'),
  e('{{ 5|union(3) }}', "'int' object is not iterable"),
  e('{{ True|unique }}', "'bool' object is not iterable"),
  e('{{ [{"foo": "bar"}]|unique(case_sensitive=False) }}', 'cannot fall back'),
  // log / pow / root / human_readable / human_to_bytes / rekey_on_member
  ...[
    '{{ 100|log(10) == 2 }}', '{{ 21|log(42) }}', '{{ 8|log(2) == 3 }}', '{{ 1|log == 0 }}', '{{ 2|pow(4) == 16 }}', '{{ 2|pow(0.5) }}',
    '{{ 27|root(3) == 3 }}', '{{ 27|root("3") == 3 }}', '{{ 4|root == 2 }}', '{{ 2.3|log(42) }}', '{{ 9|root(6) }}', '{{ 1.5|pow(2.5) }}', '{{ 5|log }}',
    '{{ 1|human_readable }}', '{{ 1|human_readable(isbits=True) }}', '{{ 102400000|human_readable }}', '{{ 102400000|human_readable(unit="G") }}',
    '{{ 102400000|human_readable(isbits=True, unit="G") }}', '{{ 1152|human_readable }}', '{{ -5000|human_readable }}', '{{ 1024|human_readable(unit="Gb") }}',
    '{{ "0"|human_to_bytes }}', '{{ "0.5"|human_to_bytes }}', '{{ "1.5"|human_to_bytes }}', '{{ "0.9"|human_to_bytes }}', '{{ "10.00 KB"|human_to_bytes }}',
    '{{ "1.1 GB"|human_to_bytes }}', '{{ "10.00 Kb"|human_to_bytes(isbits=True) }}', '{{ "1 bytes"|human_to_bytes }}', '{{ 10|human_to_bytes(default_unit="M") }}',
    '{{ [{"proto": "eigrp", "state": "enabled"}, {"proto": "ospf", "state": "enabled"}]|rekey_on_member("proto") }}',
    '{{ {"a": {"proto": "eigrp"}, "b": {"proto": "ospf"}}|rekey_on_member("proto") }}',
    '{{ [{"proto": "eigrp", "s": 1}, {"proto": "eigrp", "s": 2}]|rekey_on_member("proto", duplicates="overwrite") }}',
  ].map(t),
  e('{{ "yo"|log }}', 'log() can only be used on numbers: must be real number, not str'),
  e('{{ 0|log }}', 'math domain error'),
  e('{{ 10|pow(400) }}', 'math range error'),
  e('{{ 0|pow(-1) }}', 'math domain error'),
  e('{{ 5|log(1) }}', 'float division by zero'),
  e('{{ "yo"|pow(4) }}', 'pow() can only be used on numbers: must be real number, not str'),
  e('{{ "yo"|root }}', 'root() can only be used on numbers: must be real number, not str'),
  e('{{ -4|root }}', 'root() can only be used on numbers: math domain error'),
  e('{{ "monkeys"|human_readable }}', "human_readable() failed on bad input: '>=' not supported between instances of 'str' and 'int'"),
  e('{{ "10.00 foo"|human_to_bytes }}', "human_to_bytes() can't interpret following string: 10.00 foo"),
  e('{{ "10 MB"|human_to_bytes(isbits=True) }}', "can't interpret following string: 10 MB"),
  e('{{ []|rekey_on_member("asdf", duplicates="boo") }}', 'duplicates parameter to rekey_on_member has unknown value: boo'),
  e('{{ "minkeys"|rekey_on_member("asdf") }}', 'Type is not a valid list, set, or dict'),
  e('{{ [True]|rekey_on_member("asdf") }}', 'List item is not a valid dict'),
  e('{{ [{"foo": "bar"}, {"hello": 8}]|rekey_on_member("foo") }}', 'Key foo was not found'),
  e('{{ [{"proto": "eigrp"}, {"proto": "eigrp"}]|rekey_on_member("proto") }}', 'Key eigrp is not unique, cannot correctly turn into dict'),
  // itertools
  ...[
    '{{ [1,2]|zip([3,4]) }}', '{{ [1,2,3]|zip("ab") }}', '{{ [1,2]|zip_longest([3], fillvalue=0) }}', '{{ [1,2]|zip_longest([3,4,5]) }}',
    '{{ [1,2]|product([3,4]) }}', '{{ [1,2]|product(repeat=2) }}', '{{ [1,2,3]|permutations|list }}', '{{ [1,2,3]|permutations(2)|list }}',
    '{{ [1,2,3]|combinations(2)|list }}', '{{ [1,2,3]|combinations(4)|list }}', '{{ ([1,2]|zip([3,4]))|first }}',
  ].map(t),
  // groupby and stored tuples
  ...['{{ fruits | groupby("enjoy") }}', '{{ (fruits | groupby("enjoy"))[0] | string }}', '{{ fruits | groupby("enjoy") | map("first") | list }}'].map(t),
  // core.py: bool, ternary, mandatory, type_debug, combine, dict2items, items2dict, flatten, extract, subelements
  ...[
    '{{ None|bool }}', '{{ "TrUe"|bool }}', '{{ 7|bool }}', '{{ {}|bool }}', '{{ None|ternary("seven", "eight", "nine") }}',
    '{{ false|ternary(undefined_variable, "seven") }}', '{{ 123|ternary("seven", "eight") }}', '{{ hey|type_debug }}', '{{ (1,)|type_debug }}',
    '{{ [{"x": 1}, {"y": 2}, {"x": 3}]|combine }}', '{{ None|combine }}', '{{ [1]|combine }}',
    '{{ {"a": {"x": 1, "l": [1, 2]}}|combine({"a": {"y": 2, "l": [2, 3]}}, recursive=True, list_merge="append_rp") }}',
    '{{ {"a": [1, 2]}|combine({"a": [2, 3]}, list_merge="prepend_rp") }}', '{{ {"a": [1]}|combine({"a": [2]}, list_merge="keep") }}',
    '{{ {"a": (1,)}|combine({"a": (2,)}, list_merge="append") }}', '{{ {"foo": "bar", "banana": "fruit"}|dict2items }}',
    '{{ [1, 2, [3, [4, [5]], 6], 7]|flatten(levels=1) }}', '{{ [1, None, [3, [4, [5]], 6], 7]|flatten(skip_nulls=False) }}',
    '{{ [1, 2, [None, "null", [5]], 7]|flatten }}', '{{ [1,3] | zip([2,4]) | list | flatten }}', '{{ "abc"|flatten }}',
    '{{ "key" | extract({"key": {"subkey": {"x": 1}}}, ["subkey", "x"]) }}', '{{ "badkey" | extract({"key": 1}) | default("a") }}',
    '{{ [{"name": "alice", "groups": ["wheel"]}]|subelements(["groups"]) }}', '{{ [{"a": {"b": [1, 2]}}]|subelements("a.b") }}',
    '{{ [{"name": "alice", "groups": ["wheel"]}]|subelements("nope", skip_missing=True) }}', '{{ []|subelements("groups") }}',
  ].map(t),
  e('{{ hey|mandatory }}', "Mandatory variable 'hey'  not defined."),
  e('{{ hey|mandatory("You did not give me a variable.") }}', 'You did not give me a variable.'),
  e('{{ [{"x": 1}, [{"y": 2}]]|combine({"z": 3}) }}', "failed to combine variables, expected dicts but got a 'list' and a 'dict'"),
  e('{{ [1]|combine(foo="bar") }}', "'recursive' and 'list_merge' are the only valid keyword arguments"),
  e('{{ {"a": [1]}|combine({"a": [2]}, list_merge="bad") }}', "merge_hash: 'list_merge' argument can only be equal to"),
  e('{{ True|dict2items }}', "dict2items requires a dictionary, got <class 'bool'> instead."),
  e('{{ True|items2dict }}', "items2dict requires a list, got <class 'bool'> instead."),
  e('{{ [True]|items2dict }}', 'items2dict requires a list of dictionaries, got [True] instead.'),
  e('{{ [{"key": "foo", "value": "bar"}, {"notkey": "b", "value": "f"}]|items2dict }}', "items2dict requires each dictionary in the list to contain the keys 'key' and 'value'"),
  e('{{ True|subelements("foo") }}', 'obj must be a list of dicts or a nested dict'),
  e('{{ {}|subelements(17) }}', 'subelements must be a list or a string'),
  e('{{ [{"name": "alice", "groups": ["wheel"]}]|subelements("nope") }}', "could not find 'nope' key in iterated item {'name': 'alice', 'groups': ['wheel']}"),
  e('{{ [{"name": "alice", "groups": ["wheel"]}]|subelements("name") }}', "the key 'name' should point to a list, got 'alice'"),
  e('{{ [{"name": "alice", "groups": ["wheel"]}]|subelements(["groups", "x"]) }}', 'should point to a dictionary'),
  // random and shuffle with a seed (Python's Mersenne Twister), comment
  ...[
    '{{ 60|random(seed="host1") }}', '{{ 60|random(seed="host1", start=10) }}', '{{ 60|random(10, 5, "host1") }}', '{{ 59|random(seed=42) }}',
    '{{ 2**40|random(seed=3) }}', '{{ "abcdef"|random(seed=1) }}', '{{ ["a", "b", "c"]|random(seed=7) }}', '{{ [1,3,5,7,9]|shuffle(seed=1337) }}',
    '{{ "abcdef"|shuffle(seed="s") }}', '{{ 22|shuffle }}', '{{ 2|random in [0, 1] }}',
    '{{ "boo!"|comment }}', '{{ "boo!"|comment(decoration="-- ") }}', '{{ "boo!"|comment(style="cblock") }}', '{{ "boo!"|comment(decoration="") }}',
    '{{ "boo!"|comment(prefix="\\n", prefix_count=3) }}', '{{ "a\\nb"|comment("xml") }}', '{{ "a\\n\\nb"|comment("erlang", postfix_count=2) }}',
  ].map(t),
  e('{{ None|random }}', 'random can only be used on sequences and integers'),
  e('{{ [1,2,3]|random(start=2) }}', 'start and step can only be used with integer values'),
  e('{{ 0|random }}', 'empty range for randrange() (0, 0, 0)'),
  // hashes, uuids, password_hash (crypt's SHA-crypt / MD5-crypt)
  ...[
    '{{ "hash" | hash("sha1") }}', '{{ "café" | hash("sha1") }}', '{{ "x" | hash("SHA512") }}', '{{ "x" | hash("sha3_256") }}', '{{ "x" | hash("blake2b") }}',
    '{{ 5 | md5 }}', '{{ "x" | checksum }}', '{{ "monkeys"|to_uuid }}', '{{ "monkeys"|to_uuid(namespace="{6ba7b810-9dad-11d1-80b4-00c04fd430c8}") }}',
    '{{ "secret"|password_hash("sha512", "mysalt") }}', '{{ "secret"|password_hash("sha256", "mysalt") }}', '{{ "secret"|password_hash("md5", "mysalt") }}',
    '{{ "secret"|password_hash("sha512", "mysalt", rounds=10000) }}', '{{ "secret"|password_hash("sha512", "mysalt", rounds=656000) }}',
    '{{ "a much longer password that is longer than 64 bytes for sure, yes it is longer"|password_hash("sha512", "abcdefghijklmnop") }}',
    '{{ "secret"|password_hash|length }}', '{{ "secret"|password_hash("md5")|length }}',
  ].map(t),
  e('{{ "x" | hash("unsupported_hash_type") }}', 'unsupported hash type unsupported_hash_type'),
  e('{{ "hey"|to_uuid(namespace=22) }}', "Invalid value '22' for 'namespace'"),
  e('{{ "secret"|password_hash("sha512", "bad salt") }}', 'invalid characters in salt'),
  e('{{ "secret"|password_hash("sha512", "abcdefghijklmnopq") }}', 'invalid salt size'),
  e('{{ "secret"|password_hash(hashtype="supersecurehashtype") }}', "crypt.crypt does not support 'supersecurehashtype' algorithm"),
];
