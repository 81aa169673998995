# Renders templates with ansible-core's own Templar (the code `debug: msg=` and every task arg go
# through), for the template differential tests. stdin: [{"t": template, "v": vars}];
# stdout: [{"ok": bool, "type": python type name, "json": json.dumps(value) or null, "str": str(value), "err": text}].
import json
import sys

from ansible.module_utils.common.json import AnsibleJSONEncoder
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar

loader = DataLoader()
out = []
for case in json.load(sys.stdin):
    try:
        value = Templar(loader=loader, variables=case.get('v') or {}).template(case['t'])
        try:
            dumped = json.dumps(value, cls=AnsibleJSONEncoder, sort_keys=True)
        except Exception:
            dumped = None
        out.append({'ok': True, 'type': type(value).__name__, 'json': dumped, 'str': str(value), 'err': ''})
    except Exception as e:  # the test only checks that drover fails too
        out.append({'ok': False, 'type': '', 'json': None, 'str': '', 'err': '%s: %s' % (type(e).__name__, e)})
json.dump(out, sys.stdout)
