import { DataSource } from 'typeorm';
import { entities } from './entities';
import { migrations } from './migrations';

/** A DataSource for PostgreSQL; the schema only ever changes through migrations. */
export function createDataSource(databaseUrl: string, options: { applicationName?: string; poolSize?: number } = {}): DataSource {
  return new DataSource({
    type: 'postgres',
    url: databaseUrl,
    entities,
    migrations,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    logging: ['error'],
    applicationName: options.applicationName ?? 'continuum',
    poolSize: options.poolSize ?? 10,
  });
}

/** Opens a DataSource, reporting the host (never the password) when PostgreSQL is unreachable. */
export async function openDataSource(
  databaseUrl: string,
  options: { applicationName?: string; poolSize?: number; runMigrations?: boolean } = {},
): Promise<DataSource> {
  const dataSource = createDataSource(databaseUrl, options);
  try {
    await dataSource.initialize();
  } catch (error) {
    const url = new URL(databaseUrl);
    throw new Error(`Cannot connect to PostgreSQL at ${url.hostname}:${url.port || 5432}${url.pathname}: ${(error as Error).message}`);
  }
  if (options.runMigrations) await dataSource.runMigrations({ transaction: 'each' });
  return dataSource;
}
