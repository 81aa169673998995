// Public face of the inventory layer: load sources, resolve host patterns and limits, and print
// the ansible-inventory views. Re-exports only.
export { Inventory, LOCALHOST_NAMES, StructureError, type Group, type Host } from './inventory.js';
export { InventoryLoadError, loadInventory, type LoadOptions } from './loader.js';
export { applyLimit, globToRegExp, limitTerms, orderPatterns, resolvePattern, splitHostPattern, type PatternResult } from './patterns.js';
export { INTERNAL_VARS, inventoryGraph, inventoryHostJson, inventoryListJson, removeInternal, singleHost } from './output.js';
export { factVars } from './cached-facts.js';
export { inventoryTomlTree, inventoryYamlTree } from './output-tree.js';
export { tomlDumps, TomlTypeError } from './toml-dump.js';
export { expandHostPattern, expandHostRange, parseAddress } from './address.js';
export { iniValue, literalEval } from './literal.js';
export { shlexSplit } from './shlex.js';
export { pyRepr, pyStr } from './pyrepr.js';
export { assignVars, loadVarsFile, VarsDir, type Vars } from './vars-files.js';
export { loadVarsText, parseYaml } from './yaml-load.js';
