# A project-local inventory plugin (drover runs it through ansible-inventory): adds a host per
# entry of `pairs` and a group 'paired' holding every host seen so far, earlier sources included.
from __future__ import annotations

DOCUMENTATION = '''
    name: pairs
    options:
      plugin:
        description: the load name of the plugin
      pairs:
        description: host name to value
        type: dict
        default: {}
'''

from ansible.plugins.inventory import BaseInventoryPlugin


class InventoryModule(BaseInventoryPlugin):
    NAME = 'pairs'

    def verify_file(self, path):
        return super().verify_file(path) and path.endswith('pairs.yml')

    def parse(self, inventory, loader, path, cache=True):
        super().parse(inventory, loader, path, cache)
        self._read_config_data(path)
        for name, value in self.get_option('pairs').items():
            inventory.add_host(name, group='ungrouped')
            inventory.set_variable(name, 'pair_value', value)
        inventory.add_group('paired')
        for host in list(inventory.hosts):
            inventory.add_child('paired', host)
