/**
 * The API families this sidecar serves. Each family owns its prefixes, wire format and error
 * envelope; order does not matter (the app mounts longer prefixes first).
 */
import type { AppContext } from '../app-context.js';
import type { ApiFamily } from './shared/family.js';
import { createAdminLocksFamily } from './adminlocks/adminlocks-family.js';
import { createPortcullisFamily } from './decision/portcullis-family.js';
import { createKeystoneFamily } from './keystone/keystone-family.js';
import { createManageiqFamily } from './manageiq/family.js';
import { createManilaFamily } from './manila/manila-family.js';
import { createTrafficOpsFamily } from './trafficops/trafficops-family.js';

export function createFamilies(ctx: AppContext): ApiFamily[] {
  return [
    createPortcullisFamily(ctx),
    createKeystoneFamily(ctx),
    createManilaFamily(ctx),
    createTrafficOpsFamily(ctx),
    createAdminLocksFamily(ctx),
    createManageiqFamily(ctx),
  ];
}
