/** Normalises a phone number to E.164 (`+` and 8–15 digits); undefined when it cannot be one. */
export function toE164(raw: string): string | undefined {
  const trimmed = raw.trim();
  if (!/^\+?[\d\s().-]+$/.test(trimmed)) return undefined;
  const international = trimmed.startsWith('+') || trimmed.startsWith('00');
  if (!international) return undefined;
  const digits = trimmed.replace(/^00/, '').replace(/\D/g, '');
  if (!/^[1-9]\d{7,14}$/.test(digits)) return undefined;
  return `+${digits}`;
}
