import type { Socket } from 'node:net';

/**
 * Errors Node's HTTP parser raises before Fastify sees a request (headers too
 * large, malformed request line, header timeout) still answer `{code, detail}`.
 */
export function clientErrorHandler(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  let status = '400 Bad Request';
  let body = { code: 'bad_request', detail: 'The request is malformed.' };
  if (err.code === 'HPE_HEADER_OVERFLOW') {
    status = '431 Request Header Fields Too Large';
    body = { code: 'header_too_large', detail: 'Request headers are too large.' };
  } else if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    status = '408 Request Timeout';
    body = { code: 'bad_request', detail: 'The request took too long to arrive.' };
  }
  const text = JSON.stringify(body);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
    );
  }
  socket.destroy();
}
