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
    const json = `(${alias}.properties #> ${add(keys)}::text[])`;
    clauses.push(conditionSql(json, condition, add));
  }
  return clauses.length === 0 ? 'true' : clauses.join(' AND ');
}

function conditionSql(json: string, condition: FilterCondition, add: (value: unknown) => string): string {
  const same = (value: unknown) => (value === null ? `${json} = 'null'::jsonb` : `${json} = ${add(JSON.stringify(value))}::jsonb`);
  if (condition === null || typeof condition !== 'object') return `COALESCE(${same(condition)}, false)`;
  const parts: string[] = [];
  const present = `(${json} IS NOT NULL AND ${json} <> 'null'::jsonb)`;
  if (condition.exists !== undefined) parts.push(condition.exists ? present : `NOT ${present}`);
  if ('eq' in condition) parts.push(condition.eq === undefined ? `${json} IS NULL` : `COALESCE(${same(condition.eq)}, false)`);
  if ('ne' in condition) parts.push(condition.ne === undefined ? `${json} IS NOT NULL` : `${json} IS DISTINCT FROM ${condition.ne === null ? `'null'::jsonb` : `${add(JSON.stringify(condition.ne))}::jsonb`}`);
  if (condition.in) parts.push(`COALESCE(${json} IN (SELECT jsonb_array_elements(${add(JSON.stringify(condition.in))}::jsonb)), false)`);
  const numeric: Array<[number | undefined, string]> = [
    [condition.gt, '>'],
    [condition.gte, '>='],
    [condition.lt, '<'],
    [condition.lte, '<='],
  ];
  for (const [operand, sign] of numeric) {
    if (operand !== undefined) parts.push(`(CASE WHEN jsonb_typeof(${json}) = 'number' THEN (${json})::numeric ${sign} ${add(operand)}::numeric ELSE false END)`);
  }
  return parts.length === 0 ? 'true' : `(${parts.join(' AND ')})`;
}
