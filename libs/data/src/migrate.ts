import { loadConfig, databaseConfigSchema } from '@continuum/config';
import { openDataSource } from './data-source';

/** One-shot migration job (compose `migrate` service, CI): applies pending migrations and exits. */
async function main(): Promise<void> {
  const { DATABASE_URL } = loadConfig('migrate', databaseConfigSchema);
  const dataSource = await openDataSource(DATABASE_URL, { applicationName: 'continuum-migrate' });
  const applied = await dataSource.runMigrations({ transaction: 'each' });
  console.log(JSON.stringify({ msg: 'migrations applied', applied: applied.map((m) => m.name) }));
  await dataSource.destroy();
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
