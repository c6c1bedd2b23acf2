import { buildStandardRequest } from '../request.js';
import type { Format } from './format.js';

/** Standard Webhooks (delivery/request.ts): a transformation's body is signed in place of the payload. */
export const standard: Format = {
  build: (i) =>
    buildStandardRequest(i.endpoint, i.body === undefined ? i.message : { ...i.message, payload: i.body }, i.nowMs),
};
