import { createSender, type Sender, type SenderOptions } from '../sender.js';

/**
 * HTTP(S) endpoints: one signed POST per attempt through undici's keep-alive
 * pools (see ../sender.ts for the guard, timeouts and response handling).
 */
export function createHttpDestination(opts: SenderOptions): Sender {
  return createSender(opts);
}
