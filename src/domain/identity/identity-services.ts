/**
 * The identity feature (Keystone v3 roles, grants, implied roles, role assignments and the
 * directory they need), composed from its dependencies.
 */
import { AssignmentService } from './assignment-service.js';
import type { IdentityDeps } from './deps.js';
import { GrantService } from './grant-service.js';
import { InferenceService } from './inference-service.js';
import { ProjectService } from './project-service.js';
import { ProjectTagService } from './project-tag-service.js';
import { RoleService } from './role-service.js';
import { TokenAuthService } from './token-auth-service.js';
import { UserGroupService } from './user-group-service.js';

export interface IdentityServices {
  readonly roles: RoleService;
  readonly grants: GrantService;
  readonly inferences: InferenceService;
  readonly assignments: AssignmentService;
  readonly usersGroups: UserGroupService;
  readonly projects: ProjectService;
  readonly projectTags: ProjectTagService;
  readonly auth: TokenAuthService;
}

export function createIdentityServices(deps: IdentityDeps): IdentityServices {
  return {
    roles: new RoleService(deps),
    grants: new GrantService(deps),
    inferences: new InferenceService(deps),
    assignments: new AssignmentService(deps),
    usersGroups: new UserGroupService(deps),
    projects: new ProjectService(deps),
    projectTags: new ProjectTagService(deps),
    auth: new TokenAuthService(deps),
  };
}

export type { IdentityDeps } from './deps.js';
export type { AssignmentEntry, AssignmentQuery } from './assignment-expansion.js';
export type { NameBook } from './assignment-service.js';
