/** TypeORM's PostgreSQL driver answers an UPDATE or DELETE with [rows, affected row count]. */
export function affectedRows(result: unknown): number {
  return Array.isArray(result) && typeof result[1] === 'number' ? result[1] : 0;
}
