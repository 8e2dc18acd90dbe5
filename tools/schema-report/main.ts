import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatReport, reportSchema } from './schema-report';

// `npm run schema:report`: prints the conventions of the committed schema and writes them as JSON.
const root = join(__dirname, '..', '..');
const report = reportSchema(readFileSync(join(root, 'services/gateway/schema.gql'), 'utf8'));
mkdirSync(join(root, 'reports'), { recursive: true });
writeFileSync(join(root, 'reports/schema-report.json'), `${JSON.stringify(report, null, 2)}\n`);
console.log(formatReport(report));
console.log('wrote reports/schema-report.json');
