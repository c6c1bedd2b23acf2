/**
 * Which endpoints get a message. An endpoint with no `filterTypes` gets every
 * event type; `invoice.*` matches `invoice.paid` and `invoice.line.added`.
 * Channels: an endpoint with channels only gets messages sharing one of them;
 * an endpoint without channels gets every message.
 */
export function matchesEventType(filterTypes: readonly string[] | null | undefined, eventType: string): boolean {
  if (!filterTypes || filterTypes.length === 0) return true;
  for (const f of filterTypes) {
    if (f === eventType) return true;
    if (f.endsWith('.*') && eventType.startsWith(f.slice(0, -1))) return true;
    if (f === '*') return true;
  }
  return false;
}

export function matchesChannels(
  endpointChannels: readonly string[] | null | undefined,
  messageChannels: readonly string[] | null | undefined,
): boolean {
  if (!endpointChannels || endpointChannels.length === 0) return true;
  if (!messageChannels || messageChannels.length === 0) return false;
  return messageChannels.some((c) => endpointChannels.includes(c));
}

export const EVENT_TYPE_NAME = /^[a-zA-Z0-9\-_.]{1,256}$/;
export const FILTER_TYPE = /^([a-zA-Z0-9\-_.]{1,256}|[a-zA-Z0-9\-_.]{1,254}\.\*|\*)$/;
export const UID = /^[a-zA-Z0-9\-_.]{1,256}$/;
