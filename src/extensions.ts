import { inboundExtension } from './inbound/extension.js';
import { listenExtension } from './listen/extension.js';
import { operationsExtension } from './ops/extension.js';
import type { Extension } from './server.js';

/**
 * The modules that plug into the core (routes, dispatcher hooks, background
 * jobs). Each feature area adds one line here; the core never imports them.
 */
export function defaultExtensions(): Extension[] {
  return [listenExtension(), inboundExtension(), operationsExtension()];
}
