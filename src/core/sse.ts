/**
 * Server-sent events framing (WHATWG HTML, "server-sent events"). One event is
 * `id:`, `event:` and one `data:` line per line of the payload, then a blank
 * line. Comments (`: ping`) keep proxies from closing an idle stream.
 */
export function sseEvent(id: string, event: string, data: string): string {
  const lines = data.split(/\r\n|\r|\n/).map((l) => `data: ${l}`);
  return `id: ${id}\nevent: ${event}\n${lines.join('\n')}\n\n`;
}

export interface SseMessage {
  id: string;
  event: string;
  data: string;
}

/**
 * Incremental parser for the client: feed it text chunks, it returns the
 * complete events. `retry:` and comments are ignored; the client picks its
 * own backoff.
 */
export function createSseParser(): (chunk: string) => SseMessage[] {
  let buffer = '';
  let id = '';
  let event = 'message';
  let data: string[] = [];
  return (chunk) => {
    buffer += chunk;
    const out: SseMessage[] = [];
    for (;;) {
      const nl = buffer.search(/\r\n|\r|\n/);
      if (nl < 0) break;
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + (buffer.startsWith('\r\n', nl) ? 2 : 1));
      if (line === '') {
        if (data.length > 0) out.push({ id, event, data: data.join('\n') });
        event = 'message';
        data = [];
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'id') id = value;
      else if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    return out;
  };
}
