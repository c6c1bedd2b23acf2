import { describe, expect, it } from 'vitest';
import { OPENAI_EVENT_TYPES } from '../../src/inbound/openai-catalogue.js';

describe('OpenAI event catalogue', () => {
  const names = OPENAI_EVENT_TYPES.map((e) => e.name);

  it('lists the 15 SDK-typed events, live.call.incoming and the documented agent/safety events, once each', () => {
    const typed = [
      'batch.cancelled',
      'batch.completed',
      'batch.expired',
      'batch.failed',
      'eval.run.canceled',
      'eval.run.failed',
      'eval.run.succeeded',
      'fine_tuning.job.cancelled',
      'fine_tuning.job.failed',
      'fine_tuning.job.succeeded',
      'realtime.call.incoming',
      'response.cancelled',
      'response.completed',
      'response.failed',
      'response.incomplete',
    ];
    expect(names.slice(0, 15)).toEqual(typed);
    expect(names).toContain('live.call.incoming');
    expect(names.filter((n) => n.startsWith('agent.session.'))).toHaveLength(5);
    expect(names.filter((n) => n.startsWith('safety.'))).toHaveLength(4);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toHaveLength(25);
  });

  it('uses Standard Webhooks event-type syntax and describes every entry', () => {
    for (const { name, description } of OPENAI_EVENT_TYPES) {
      expect(name).toMatch(/^[a-zA-Z0-9_]+(\.[a-zA-Z0-9_]+)+$/);
      expect(description.length).toBeGreaterThan(5);
    }
  });
});
