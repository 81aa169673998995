# Answers for the fuzz sample from ansible-core's own parsers, in one Python process:
# parse_kv (ansible.parsing.splitter) and the INI plugin's value typing (InventoryModule._parse_value).
# stdin: {"kv": [str], "ini": [str]}; stdout: {"kv": [{"ok", "value"|"err"}], "ini": [{"type", "json"}]}.
import json
import sys

from ansible.parsing.splitter import parse_kv
from ansible.plugins.inventory.ini import InventoryModule


def typed(v):
    try:
        return {'type': type(v).__name__, 'json': json.dumps(v, sort_keys=True)}
    except (TypeError, ValueError):
        return {'type': type(v).__name__, 'json': None}


def kv(s):
    try:
        return {'ok': True, 'value': parse_kv(s)}
    except Exception as e:  # AnsibleParserError and friends: drover must fail too
        return {'ok': False, 'err': str(e)}


def ini(s):
    try:
        return typed(InventoryModule._parse_value(s))
    except Exception as e:  # _parse_value lets TypeError (an unhashable dict key) escape: Ansible crashes
        return {'type': '!crash', 'json': None, 'err': repr(e)}


req = json.load(sys.stdin)
json.dump({'kv': [kv(s) for s in req['kv']], 'ini': [ini(s) for s in req['ini']]}, sys.stdout)
