import type { Store } from '../port.js';
import * as audit from './audit.js';
import * as keyAdmin from './key-admin.js';
import * as rekey from './rekey.js';
import type { Ctx } from './sql.js';

type SecurityOps = Pick<
  Store,
  'getApiKey' | 'listApiKeysPage' | 'expireApiKeysByName' | 'recordAudit' | 'listAudit' | 'reencryptSecrets'
>;

/** Migration 0004's operations (keys, audit log, master key rotation), spread into the store. */
export function securityOps(ctx: Ctx): SecurityOps {
  return {
    getApiKey: (id) => keyAdmin.getApiKey(ctx, id),
    listApiKeysPage: (page) => keyAdmin.listApiKeysPage(ctx, page),
    expireApiKeysByName: (name, at) => keyAdmin.expireApiKeysByName(ctx, name, at),
    recordAudit: (entries) => audit.recordAudit(ctx, entries),
    listAudit: (filter, page) => audit.listAudit(ctx, filter, page),
    reencryptSecrets: (reencrypt) => rekey.reencryptSecrets(ctx, reencrypt),
  };
}
