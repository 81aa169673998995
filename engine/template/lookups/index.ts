// Public face of the lookup plugins (see registry.ts).
export { isLookup, loopTerms, runLookup, runLoopLookup } from './registry.js';
export type { LookupServices } from './types.js';
export { templateVars } from './template.js';
