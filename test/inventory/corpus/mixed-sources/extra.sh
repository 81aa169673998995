#!/bin/sh
# adds hosts to a group the INI file defined, and a new child group
if [ "$1" = "--list" ]; then
  echo '{"app": {"hosts": ["app3"], "vars": {"from_script": true}}, "batch": {"hosts": ["app1", "job1"]}, "_meta": {"hostvars": {"app1": {"patched": 1}}}}'
fi
