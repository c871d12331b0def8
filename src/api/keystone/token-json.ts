/**
 * The token body Keystone answers (keystone/common/render_token.py): user, scope, roles held there,
 * methods, audit ids, times with microseconds, and the catalog unless `nocatalog` or unscoped.
 */
import type { TokenView } from '../../domain/identity/token-auth-service.js';

/** Keystone's `2015-11-07T01:58:43.578929Z` (microseconds). */
const keystoneTime = (d: Date) => d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

export function tokenJson(view: TokenView, catalog: readonly unknown[] | undefined) {
  const { token, user, userDomain } = view;
  const body: Record<string, unknown> = {
    methods: token.methods,
    user: {
      domain: { id: userDomain.id, name: userDomain.name },
      id: user.id,
      name: user.name,
      password_expires_at: null,
    },
    audit_ids: token.auditIds,
    expires_at: keystoneTime(token.expiresAt),
    issued_at: keystoneTime(token.issuedAt),
  };
  if (token.scope.type === 'system') body.system = { all: true };
  if (view.domain) body.domain = { id: view.domain.id, name: view.domain.name };
  if (view.project && view.projectDomain) {
    body.project = {
      domain: { id: view.projectDomain.id, name: view.projectDomain.name },
      id: view.project.id,
      name: view.project.name,
    };
    body.is_domain = false;
  }
  if (token.scope.type !== 'unscoped') {
    body.roles = view.roles.map((r) => ({ id: r.id, name: r.name }));
    if (catalog) body.catalog = catalog;
  }
  return { token: body };
}
