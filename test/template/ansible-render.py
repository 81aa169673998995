# Renders templates with ansible-core's own Templar (the code `debug: msg=` and every task arg go
# through), for the template differential tests. stdin: [{"t": template, "v": vars, "native": bool,
# "text": bool}] (native: ANSIBLE_JINJA2_NATIVE; text: do_template as the template module calls it);
# stdout: [{"ok": bool, "type": python type name, "json": json.dumps(value) or null, "str": str(value), "err": text}].
import json
import sys

from ansible.module_utils.common.json import AnsibleJSONEncoder
import ansible.constants as C
from ansible.parsing.dataloader import DataLoader
from ansible.template import AnsibleEnvironment, Templar

loader = DataLoader()
out = []
for case in json.load(sys.stdin):
    try:
        C.DEFAULT_JINJA2_NATIVE = bool(case.get('native'))
        templar = Templar(loader=loader, variables=case.get('v') or {})
        if case.get('text'):
            templar = templar.copy_with_new_env(environment_class=AnsibleEnvironment)
            value = templar.do_template(case['t'], preserve_trailing_newlines=True, escape_backslashes=False)
        else:
            value = templar.template(case['t'])
        try:
            dumped = json.dumps(value, cls=AnsibleJSONEncoder, sort_keys=True)
        except Exception:
            dumped = None
        out.append({'ok': True, 'type': type(value).__name__, 'json': dumped, 'str': str(value), 'err': ''})
    except Exception as e:  # the test only checks that drover fails too
        out.append({'ok': False, 'type': '', 'json': None, 'str': '', 'err': '%s: %s' % (type(e).__name__, e)})
json.dump(out, sys.stdout)
