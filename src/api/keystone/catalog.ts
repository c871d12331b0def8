/**
 * The service catalog a Keystone token carries: Portcullis' own identity endpoint (`/identity`,
 * which answers version discovery) and Manila's shared-file-system v2 endpoint (`/share/v2`), each
 * with public, internal and admin interfaces at the same URL in the configured region. Ids are
 * derived from the service and interface, so every replica lists the same ones.
 */
import { createHash } from 'node:crypto';
import { MANILA_ROOT } from '../manila/manila-family.js';

const SERVICES = [
  { type: 'identity', name: 'keystone', path: '/identity' },
  { type: 'shared-file-system', name: 'manilav2', path: `${MANILA_ROOT}/v2` },
] as const;

const INTERFACES = ['public', 'internal', 'admin'] as const;

const stableId = (...parts: string[]) => createHash('sha256').update(parts.join('/')).digest('hex').slice(0, 32);

/** `origin` is the base URL clients reach Portcullis at (PORTCULLIS_PUBLIC_URL or the request's). */
export function serviceCatalog(origin: string, region: string) {
  return SERVICES.map((s) => ({
    endpoints: INTERFACES.map((iface) => ({
      id: stableId(s.type, iface, region),
      interface: iface,
      region,
      region_id: region,
      url: `${origin}${s.path}`,
    })),
    id: stableId(s.type),
    type: s.type,
    name: s.name,
  }));
}
