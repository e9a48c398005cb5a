// Keeps the policy schema (schemas/escapelens.schema.json) in step with the cause table: its cause enum
// is the table's heap causes. `npm run docs` writes it; test/core/policy/policy.test.ts checks it is current (and strict.test.ts that it agrees with the reader).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CAUSES } from '../core/classify/causes';

export function withCauseEnum(schemaText: string): string {
  const schema = JSON.parse(schemaText);
  schema.definitions.cause.enum = CAUSES.filter((c) => c.tier).map((c) => c.id);
  return JSON.stringify(schema, null, 2) + '\n';
}

if (require.main === module) {
  const file = path.resolve(__dirname, '..', '..', 'schemas', 'escapelens.schema.json');
  fs.writeFileSync(file, withCauseEnum(fs.readFileSync(file, 'utf8')));
}
