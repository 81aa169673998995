// Public face of the template layer: the Templar and the helpers other layers use.
export { Templar, Unsafe, isTemplateString, type TemplarOptions, type TextRenderOptions } from './templar.js';
export { isLookup } from './lookups/index.js';
export type { TemplateContext, VarLookup } from './runtime.js';
export { jsonDumps, yamlDump } from './pydump.js';
