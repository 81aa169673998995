#!/usr/bin/env python3
# An inventory script with _meta.hostvars: --host is never called.
import json
import sys

if sys.argv[1:] == ['--list']:
    print(json.dumps({
        'web': {'hosts': ['w1', 'w2'], 'vars': {'http_port': 8080, 'ratio': 1.5}},
        'db': {'hosts': ['d1'], 'children': ['dbreplica']},
        'dbreplica': ['d2'],
        'all': {'vars': {'dc': 'east'}},
        '_meta': {'hostvars': {'w1': {'ansible_host': '10.0.0.1', 'tags': ['a', 'b']}, 'd2': {'role': 'replica', 'nested': {'x': None}}}},
    }))
else:
    sys.exit('--host must not be called when _meta is present')
