import { readFileSync, writeFileSync } from 'node:fs';
import { BASELINE_FILE, SCHEMA_FILE, compareWithBaseline, countViolations, lintSchemaFile, totals, type ViolationCounts } from './schema-lint';

// `npm run schema:lint`: the schema lint against its ratchet baseline; `-- --update` lowers the
// baseline to today's counts (and refuses to raise it: fix a new violation instead).
async function main(): Promise<void> {
  const violations = await lintSchemaFile(SCHEMA_FILE);
  const counts = countViolations(violations);
  const baseline = JSON.parse(readFileSync(BASELINE_FILE, 'utf8')) as ViolationCounts;
  const { grown, shrunk } = compareWithBaseline(counts, baseline);
  console.table(totals(counts));
  if (grown.length > 0) {
    const grownTypes = new Set(grown.map((entry) => entry.replace(/:.*/, '')));
    for (const violation of violations) {
      if (grownTypes.has(`${violation.rule}  ${violation.type}`)) console.error(`schema.gql:${violation.line} ${violation.rule} ${violation.message}`);
    }
    console.error(`new violations beyond the baseline:\n  ${grown.join('\n  ')}`);
    process.exitCode = 1;
    return;
  }
  if (process.argv.includes('--update')) {
    writeFileSync(BASELINE_FILE, `${JSON.stringify(counts, null, 2)}\n`);
    console.log(`lowered ${BASELINE_FILE} (${shrunk.length} entries)`);
  } else if (shrunk.length > 0) {
    console.log(`fewer violations than the baseline: run \`npm run schema:lint -- --update\`\n  ${shrunk.join('\n  ')}`);
  }
}

void main();
