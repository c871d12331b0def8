/**
 * ManageIQ action results (docs/compatibility.md §5.4, §5.5): `{"success", "message", "href"}` with upstream's
 * exact messages, and the envelope errors a single request raises where a bulk item fails instead.
 */
import type { OwnershipOutcome } from '../../domain/ownership/ownership-service.js';
import { groupLabel } from '../../domain/ownership/references.js';
import type { AppError } from '../../errors.js';
import type { MiqCollection } from './collections.js';
import { miqError } from './envelope.js';

export interface ActionResult {
  readonly success: boolean;
  readonly message: string;
  readonly href: string;
}

export const UNRESOLVABLE = 'Must specify a valid owner or group for setting ownership';

export const notFoundMessage = (c: MiqCollection, id: string) => `Couldn't find ${c.klass} with 'id'=${id}`;
export const forbiddenMessage = (c: MiqCollection, id: string) => `Access to the resource ${c.name}/${id} is forbidden`;
export const invalidIdMessage = (c: MiqCollection, id: string) => `Invalid ${c.klass} id ${id} specified`;

/** The result for one item; `not_found` and `forbidden` become failed items here (bulk). */
export function actionResult(c: MiqCollection, id: string, href: string, outcome: OwnershipOutcome): ActionResult {
  switch (outcome.status) {
    case 'applied': {
      // Owner first, then group; only what was applied. Owner by name, group by description.
      const parts = [
        ...(outcome.owner ? [`owner: ${outcome.owner.name ?? ''}`] : []),
        ...(outcome.group ? [`group: ${groupLabel(outcome.group)}`] : []),
      ];
      return { success: true, message: `setting ownership of ${c.name} id ${id} to ${parts.join(', ')}`, href };
    }
    case 'not_found':
      return { success: false, message: notFoundMessage(c, id), href };
    case 'forbidden':
      return { success: false, message: forbiddenMessage(c, id), href };
    case 'unresolvable':
      return { success: false, message: UNRESOLVABLE, href };
    case 'save_failed': {
      const name = typeof outcome.resource.attributes.name === 'string' ? outcome.resource.attributes.name : '';
      // Upstream's text, unbalanced quote included (docs/compatibility.md §5.4 "Save failure").
      const message = `Error, '${outcome.reason}, updating ${c.klass}: Name: [${name}], Id: [${id}]`;
      return { success: false, message, href };
    }
  }
}

/** For a single request, a missing or invisible target is an envelope error, not a result. */
export function singleRequestError(c: MiqCollection, id: string, outcome: OwnershipOutcome): AppError | undefined {
  if (outcome.status === 'not_found') return miqError('not_found', notFoundMessage(c, id), 'ActiveRecord::RecordNotFound');
  if (outcome.status === 'forbidden') return miqError('forbidden', forbiddenMessage(c, id), 'Api::ForbiddenError');
  return undefined;
}
