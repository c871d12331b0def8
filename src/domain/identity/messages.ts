/**
 * Keystone's error texts (docs/compatibility.md §1.9), reproduced verbatim, as AppErrors the Keystone family
 * renders in its envelope. Only the identity services use these.
 */
import { badRequest, conflict, forbidden, notFound, type AppError } from '../../errors.js';
import { conflictAt } from './directory-messages.js';

export type EntityKind = 'role' | 'user' | 'group' | 'project' | 'domain';

export const missing = (kind: EntityKind, id: string): AppError => notFound(`Could not find ${kind}: ${id}.`);

export const denied = (action: string): string =>
  `You are not authorized to perform the requested action: identity:${action}.`;

export const grantMissing = (roleId: string, actorId: string, targetId: string): AppError =>
  notFound(
    `Could not find role assignment with role: ${roleId}, user or group: ${actorId}, project, domain, or system: ${targetId}.`,
  );

export const ruleMissing = (prior: string, implied: string): AppError => notFound(`${prior} does not imply ${implied}.`);

export const duplicateRole = (name: string, domainId: string | null): AppError =>
  conflictAt('role', name, domainId ?? undefined);

export const duplicateRule = (): AppError => conflict('Conflict occurred attempting to store implied_role - Duplicate entry.');

/** docs/compatibility.md §1.3: the unbalanced backtick is upstream's; keep it. */
export const immutableRole = (verb: 'update' | 'delete', roleId: string): AppError =>
  forbidden(`Unable to ${verb} immutable role resource: \`${roleId}. Set resource option "immutable" to false first.`);

export const wrongDomain = (targetKind: 'Project' | 'Domain', targetId: string, roleId: string): AppError =>
  forbidden(`${targetKind} ${targetId} must be in the same domain as the role ${roleId} being assigned.`);

export const prohibitedImplied = (impliedId: string): AppError => forbidden(`${impliedId} cannot be an implied roles.`);

export const globalImpliesDomain = (): AppError => forbidden('Global role cannot imply a domain-specific role');

export const domainRoleOnSystem = (roleId: string): AppError =>
  badRequest(`Role ${roleId} is a domain-specific role. Unable to use a domain-specific role in a system assignment.`);

/** Keystone's ValidationError template, used for bodies that are not the expected JSON. */
export const expecting = (attribute: string, target: string): string =>
  `Expecting to find ${attribute} in ${target}. The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.`;

