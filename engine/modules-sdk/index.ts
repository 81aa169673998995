// The module SDK's public surface. Modules themselves import the individual files (never this
// index, which also pulls in the registry and so every module).
export * from './types.js';
export { quote, quoteArgv, shlexSplit } from './quote.js';
export { buildScript, parseOutput, shVars, splitLines, SH_LIB, BODY_MARKER } from './script.js';
export { prepareArgs, validateArgs, toBool, type PreparedArgs, type ValidateOptions } from './validate.js';
export { ModuleRegistry, builtinRegistry, getModule, listModules, shortModuleName } from './registry.js';
