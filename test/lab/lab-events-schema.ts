// The lab event schema (engine/output/schema/lab-events.v1.json) compiled once with the validator
// the run events' schema test uses (ajv, strict), for every test that reads a lab's event log.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';

const SCHEMA_PATH = join(import.meta.dirname, '..', '..', 'engine', 'output', 'schema', 'lab-events.v1.json');

export const LAB_EVENTS_SCHEMA = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as { definitions: Record<string, { properties: { kind: { const?: string; enum?: string[] } } }> };

const validate = new Ajv({ allErrors: true, strict: true }).compile(LAB_EVENTS_SCHEMA);

/** The schema's complaints about one event ("" when it is valid). */
export function labEventErrors(ev: unknown): string {
  if (validate(ev)) return '';
  return `${JSON.stringify(ev)}: ${(validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`).join('; ')}`;
}

/** Every kind the schema types (the catch-all "other" aside). */
export function typedKinds(): string[] {
  return Object.entries(LAB_EVENTS_SCHEMA.definitions)
    .filter(([k]) => k !== 'other' && k !== 'time')
    .flatMap(([, d]) => (d.properties.kind.const !== undefined ? [d.properties.kind.const] : (d.properties.kind.enum ?? [])));
}
