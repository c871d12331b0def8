/**
 * Renders a JSON value the way Ruby's `inspect` prints the parsed value (Ruby < 3.4 style:
 * `{"owner"=>{"id"=>1}}`, `nil`, `[1, 2]`), for messages that interpolate request data, such as
 * `Must specify an owner or group for setting ownership data = {}` (docs/compatibility.md §5.4).
 */
export function rubyInspect(value: unknown): string {
  if (value === null || value === undefined) return 'nil';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : rubyFloat(value);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(rubyInspect).join(', ')}]`;
  if (typeof value === 'object') {
    const parts = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${JSON.stringify(k)}=>${rubyInspect(v)}`);
    return `{${parts.join(', ')}}`;
  }
  return String(value);
}

function rubyFloat(n: number): string {
  const s = String(n);
  return /[.e]/.test(s) ? s : `${s}.0`;
}
