/** Escapes a value for a single-quoted string in a Temporal visibility query. */
export function escapeQuery(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
}

/** `Field IN ('a', 'b')` for one or more values. */
export function inList(field: string, values: string[]): string {
  return values.length === 1 ? `${field} = '${escapeQuery(values[0]!)}'` : `${field} IN (${values.map((value) => `'${escapeQuery(value)}'`).join(', ')})`;
}
