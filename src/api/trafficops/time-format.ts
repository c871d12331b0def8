/**
 * `lastUpdated` as Traffic Ops writes it (docs/compatibility.md §3.2, §6.4): v4 is Go's RFC3339Nano in the
 * server's local offset (fraction without trailing zeros, `Z` when the offset is zero); v5 is
 * RFC 3339 without the fraction, same offset.
 */
export type ToMajor = 4 | 5;

export function formatLastUpdated(iso: string, major: ToMajor): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const offsetMin = -d.getTimezoneOffset();
  const local = new Date(d.getTime() + offsetMin * 60_000).toISOString().slice(0, 19);
  const frac = String(d.getUTCMilliseconds()).padStart(3, '0').replace(/0+$/, '');
  const fraction = major === 4 && frac ? `.${frac}` : '';
  return `${local}${fraction}${offsetSuffix(offsetMin)}`;
}

function offsetSuffix(offsetMin: number): string {
  if (offsetMin === 0) return 'Z';
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
