import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const workspaceRoot = resolve(__dirname, '..', '..');
/** A codegen configuration (codegen.yml), as `generate` takes it. */
type CodegenConfig = Extract<Parameters<typeof generate>[0], { generates: unknown }>;

// The console's typed documents (src/gql) are generated from the committed schema and committed: a
// schema change or a new query without `npm run codegen:console` fails here, and a schema change
// that breaks a query then fails the console's type check.
describe('the console GraphQL types', () => {
  it('are what GraphQL Code Generator makes of schema.gql and the console queries now', { timeout: 60_000 }, async () => {
    const config = parse(readFileSync(join(__dirname, 'codegen.yml'), 'utf8')) as CodegenConfig;
    const outputs = await generate({ ...config, cwd: workspaceRoot, silent: true }, false);
    expect(outputs.length).toBeGreaterThan(0);
    for (const { filename, content } of outputs) {
      expect(readFileSync(resolve(workspaceRoot, filename), 'utf8'), `${filename} is stale: run npm run codegen:console`).toBe(content);
    }
  });
});
