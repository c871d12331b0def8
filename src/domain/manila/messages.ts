/** Manila's own wording for the errors the resource-lock service raises (docs/compatibility.md §2.3, §2.4). */

export const policyDenied = (permission: string): string => `Policy doesn't allow ${permission} to be performed.`;
export const LOCK_CONTEXT_DENIED = 'Resource lock cannot be manipulated by user. Please contact the administrator.';
export const NOT_AUTHORIZED = 'Not authorized.';
export const NO_SUCH_RESOURCE = 'No such resource found.';
export const lockNotFound = (id: string): string => `Resource lock ${id} could not be found.`;
export const invalidInput = (reason: string): string => `Invalid input received: ${reason}`;
export const STATUS_NOT_SUITABLE = invalidInput('Resource status not suitable for locking.');
export const SOFT_DELETED = invalidInput('Resource cannot be locked since it has been soft deleted.');
export const LOCK_REASON_TOO_LONG = "'lock_reason' can contain a maximum of 1023 characters.";
export const RESOURCE_ID_REQUIRED = 'Resource ID is required and must be in uuid format.';
export const MALFORMED_BODY = 'Malformed request body.';
export const ONLY_ACTION_AND_REASON = "Only 'resource_action' and 'lock_reason' can be updated.";
