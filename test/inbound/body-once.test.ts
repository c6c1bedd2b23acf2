import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { bodyJson, bodyText } from '../../src/inbound/body.js';
import { forwardPayload } from '../../src/inbound/forward.js';
import { parseBody } from '../../src/inbound/providers/common.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createSource, ingest, providerCases } from './gateway-helpers.js';

/**
 * A received body is decoded and parsed once per request: the verifier reads
 * its type from it, and the forwarding path asks whether it is JSON. A
 * provider's body is often tens of KB, where each JSON.parse costs as much as
 * the rest of the request.
 */
describe('the received body, parsed once', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('decodes and parses a request once however often it is read', () => {
    const text = JSON.stringify({ type: 'invoice.paid', data: { n: 1 } });
    const req = { headers: { 'content-type': 'application/json' }, rawBody: Buffer.from(text), url: 'http://x/in/s' };
    const parse = vi.spyOn(JSON, 'parse');
    expect(parseBody(req)).toEqual({ type: 'invoice.paid', data: { n: 1 } });
    expect(parseBody(req)?.['type']).toBe('invoice.paid');
    expect(bodyJson(req)).toEqual({ json: { type: 'invoice.paid', data: { n: 1 } } });
    expect(bodyText(req)).toBe(text);
    expect(parse.mock.calls.filter(([arg]) => arg === text)).toHaveLength(1);
  });

  it('remembers a body that is not JSON as such', () => {
    const req = { headers: {}, rawBody: Buffer.from('a=1&b=2'), url: 'http://x/in/s' };
    expect(bodyJson(req)).toBeNull();
    expect(bodyJson(req)).toBeNull();
    expect(parseBody(req)).toBeNull();
  });

  it('forwards the text as it is when told it is JSON, wrapped when told it is not, and checks when not told', () => {
    const body = Buffer.from('{"a":1}');
    const parse = vi.spyOn(JSON, 'parse');
    expect(forwardPayload(body, 'application/json', '{"a":1}', true)).toBe('{"a":1}');
    expect(parse).not.toHaveBeenCalled();
    expect(JSON.parse(forwardPayload(body, 'text/plain', '{"a":1}', false))).toEqual({
      raw: body.toString('base64'),
      contentType: 'text/plain',
    });
    expect(forwardPayload(Buffer.from('not json'), 'text/plain')).toBe(
      JSON.stringify({ raw: Buffer.from('not json').toString('base64'), contentType: 'text/plain' }),
    );
    expect(forwardPayload(body, 'application/json')).toBe('{"a":1}');
  });

  describe('through POST /in', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer();
    });
    afterAll(async () => {
      await server.close();
    });

    it('parses the body of a stored GitHub delivery once (it was parsed again to decide the forwarded payload)', async () => {
      const github = providerCases().find((c) => c.type === 'github');
      if (!github) throw new Error('no github case');
      const source = await createSource(server, { name: 'once', type: 'github', config: github.config });
      const body = github.body(7);
      const headers = await github.sign(body, { ts: 0, id: 'once-7' });
      const parse = vi.spyOn(JSON, 'parse');
      const res = await ingest(server, source.id, body, headers);
      expect(res.status).toBe(200);
      expect(res.body.event_type).toBe('pull_request.opened');
      expect(parse.mock.calls.filter(([arg]) => arg === body)).toHaveLength(1);
    });
  });
});
