import type { EventFilter, FilterCondition } from '@continuum/contracts';

/**
 * A goal's `where` (an EventFilter on `properties.*`) as a SQL condition on the events row `alias`,
 * with the same meaning as `matchesFilter` in the contracts; values go into `params` (placeholders
 * numbered from its length). Paths outside `properties.` are refused (a journey's goal is checked for
 * that when it is defined).
 */
export function goalFilterSql(where: EventFilter | undefined, alias: string, params: unknown[]): string {
  const clauses: string[] = [];
  const add = (value: unknown) => `$${params.push(value)}`;
  for (const [path, condition] of Object.entries(where ?? {})) {
    const [root, ...keys] = path.split('.');
    if (root !== 'properties' || keys.length === 0) throw new Error(`goal.where: "${path}" is not a path into the goal event's properties (properties.…)`);
    // The path becomes a parameter only when a clause reads it (an unused parameter is an error).
    let json: string | undefined;
    const read = () => (json ??= `(${alias}.properties #> ${add(keys)}::text[])`);
    clauses.push(conditionSql(read, condition, add));
  }
  return clauses.length === 0 ? 'true' : clauses.join(' AND ');
}

// As matchesFilter compares with ===, an object or array given as a value never equals anything.
const isObject = (value: unknown) => value !== null && typeof value === 'object';

function conditionSql(read: () => string, condition: FilterCondition, add: (value: unknown) => string): string {
  const same = (value: unknown) => (isObject(value) ? 'false' : value === null ? `${read()} = 'null'::jsonb` : `${read()} = ${add(JSON.stringify(value))}::jsonb`);
  if (condition === null || typeof condition !== 'object') return `COALESCE(${same(condition)}, false)`;
  const parts: string[] = [];
  const present = () => `(${read()} IS NOT NULL AND ${read()} <> 'null'::jsonb)`;
  if (condition.exists !== undefined) parts.push(condition.exists ? present() : `NOT ${present()}`);
  if ('eq' in condition) parts.push(condition.eq === undefined ? `${read()} IS NULL` : `COALESCE(${same(condition.eq)}, false)`);
  if ('ne' in condition && !isObject(condition.ne)) parts.push(condition.ne === undefined ? `${read()} IS NOT NULL` : `${read()} IS DISTINCT FROM ${condition.ne === null ? `'null'::jsonb` : `${add(JSON.stringify(condition.ne))}::jsonb`}`);
  if (condition.in) parts.push(`COALESCE(${read()} IN (SELECT jsonb_array_elements(${add(JSON.stringify(condition.in.filter((value) => !isObject(value))))}::jsonb)), false)`);
  const numeric: Array<[number | undefined, string]> = [
    [condition.gt, '>'],
    [condition.gte, '>='],
    [condition.lt, '<'],
    [condition.lte, '<='],
  ];
  for (const [operand, sign] of numeric) {
    if (operand !== undefined) parts.push(`(CASE WHEN jsonb_typeof(${read()}) = 'number' THEN (${read()})::numeric ${sign} ${add(operand)}::numeric ELSE false END)`);
  }
  return parts.length === 0 ? 'true' : `(${parts.join(' AND ')})`;
}
