import type { FastifyInstance } from 'fastify';
import type { Context } from '../../context.js';
import { cachedFilter, parsePayload } from '../../core/filter.js';
import { filterTestIn } from '../schemas.js';
import { checkFilter } from './endpoint-input.js';

interface FilterTestBody {
  filter: string;
  payload: unknown;
  eventType?: string;
  channels?: string[] | null;
}

/**
 * Hookway extension: tries a filter on a sample message, so a filter can be
 * checked before it is saved (the dashboard's endpoint form does). A filter
 * that does not compile is the same 422 `invalid_filter` as on save; a
 * run-time error is an answer (`pass: false` with the error), as at fan-out.
 */
export function filterTestRoutes(app: FastifyInstance, _ctx: Context): void {
  app.post(
    '/api/v1/filter/test',
    {
      schema: {
        summary: 'Evaluate a payload filter against a sample message',
        body: filterTestIn,
        response: {
          200: {
            type: 'object',
            properties: { pass: { type: 'boolean' }, error: { type: ['string', 'null'] } },
          },
        },
      },
    },
    async (request) => {
      const body = request.body as FilterTestBody;
      const source = checkFilter(body.filter);
      if (!source) return { pass: true, error: null };
      // Numbers as fan-out reads them: the payload goes through the same JSON text parse.
      const verdict = cachedFilter(source).evaluate({
        payload: parsePayload(JSON.stringify(body.payload)),
        eventType: body.eventType ?? '',
        channels: body.channels ?? [],
      });
      return { pass: verdict.pass, error: verdict.error ?? null };
    },
  );
}
