// The playbook loader: YAML → typed Play/Block/Task tree, imports and roles, listings.
export * from './types.js';
export type { LoadOptions, ModuleInfo } from './context.js';
export { loadPlaybook, playbookFromData, loadTaskFile, loadRole, type TaskFileOrigin, type RoleEntryPoints } from './loader.js';
export { resolveIncludePath, type IncludeLookup } from './blocks.js';
export {
  listTasks,
  listTags,
  formatListTasks,
  formatListTags,
  formatListHosts,
  tagsSelected,
  type ListOptions,
  type ListedPlay,
  type ListedTask,
} from './listing.js';
export { parseKv, splitArgs } from './splitter.js';
