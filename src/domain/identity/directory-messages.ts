/** Keystone's texts for the directory entities (users, groups, projects, domains). */
import { conflict, forbidden, type AppError } from '../../errors.js';

export const conflictAt = (kind: string, name: string, domainId?: string): AppError =>
  conflict(
    `Conflict occurred attempting to store ${kind} - Duplicate entry found with name ${name}${domainId ? ` at domain ID ${domainId}` : ''}.`,
  );

export const notALeaf = (projectId: string): AppError =>
  forbidden(
    `Cannot delete the project ${projectId} since it is not a leaf in the hierarchy. Use the cascade option if you want to delete a whole subtree.`,
  );

export const enabledDomain = (): AppError =>
  forbidden('Cannot delete a domain that is enabled, please disable it first.');
