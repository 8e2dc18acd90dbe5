/** TypeORM's PostgreSQL driver answers an UPDATE or DELETE with [rows, affected row count]. */
export function affectedRows(result: unknown): number {
  return Array.isArray(result) && typeof result[1] === 'number' ? result[1] : 0;
}

/** The rows a statement returned: plain for a SELECT, the first element of [rows, count] for an UPDATE or DELETE … RETURNING. */
export function returnedRows<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}
