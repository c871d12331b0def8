/** Id formats: Keystone-style 32-char hex UUIDs, and dashed UUIDs (Manila). */
import { randomUUID } from 'node:crypto';

export const newHexId = (): string => randomUUID().replace(/-/g, '');
export const newUuid = (): string => randomUUID();
