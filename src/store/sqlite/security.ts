import type { Store } from '../port.js';
import { auditOps } from './audit.js';
import type { Ctx } from './db.js';
import { keyAdminOps } from './key-admin.js';
import { rekeyOps } from './rekey.js';

type SecurityOps = Pick<
  Store,
  'getApiKey' | 'listApiKeysPage' | 'expireApiKeysByName' | 'recordAudit' | 'listAudit' | 'reencryptSecrets'
>;

/** Migration 0004's operations (keys, audit log, master key rotation), spread into the store. */
export function securityOps(ctx: Ctx): SecurityOps {
  return { ...auditOps(ctx), ...keyAdminOps(ctx), ...rekeyOps(ctx) };
}
