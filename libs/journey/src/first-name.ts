/** The customer's `first_name` trait for a greeting, or "there" ("Hi there"). */
export function firstName(traits: Record<string, unknown>): string {
  const name = traits['first_name'];
  return typeof name === 'string' && name.trim() !== '' ? name.trim() : 'there';
}
