import type { Verifier } from '../verify-types.js';
import { idFromHeader, parseBody, stringField } from './common.js';

/** No verification at all: for trusted networks or providers that sign nothing. */
export const genericWebhookVerifier: Verifier = {
  type: 'generic-webhook',
  verify(req, config) {
    return { ok: true, providerEventId: idFromHeader(req, config), eventType: stringField(parseBody(req), 'type') };
  },
};
