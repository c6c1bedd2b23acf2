import { describe, expect, it } from 'vitest';
import { withoutUserinfo } from '../../src/core/display-url.js';
import { slackBody } from '../../src/delivery/formats/slack.js';
import { csvCell } from '../../src/ops/export.js';

describe('what is shown is safe to show', () => {
  it('Slack: the fallback text is escaped like the blocks, so payload text cannot mention anyone', () => {
    const message = {
      id: 'msg_1',
      appId: 'app_1',
      eventType: 'order.note',
      eventId: null,
      payload: JSON.stringify({ note: '<!channel> pay <https://evil.example|here> & now' }),
      channels: null,
      tags: null,
      createdAt: 0,
    };
    const body = slackBody({ endpoint: {} as never, message, nowMs: 0 }) as {
      text: string;
      blocks: { text?: { text: string } }[];
    };
    for (const text of [body.text, body.blocks[1]!.text!.text]) {
      expect(text).not.toMatch(/[<>]/);
      expect(text).toContain('&lt;!channel&gt;');
      expect(text).toContain('&amp; now');
    }
    expect(body.text.startsWith('order.note: ')).toBe(true);
  });

  it('CSV: cells a spreadsheet would run as a formula are defused, also after spaces or in full width', () => {
    for (const v of ['=1+1', '+1', '-1', '@SUM(A1)', '\t=1', '\r=1', '  =HYPERLINK("x")', '\u00a0=1', '＝1', '＠x']) {
      expect(csvCell(v).replace(/^"/, '').startsWith("'"), JSON.stringify(v)).toBe(true);
    }
    expect(csvCell('HTTP 500; response body: =cmd|')).toBe('HTTP 500; response body: =cmd|');
    expect(csvCell(-1)).toBe('-1');
  });

  it('URLs lose their userinfo wherever they appear in a text', () => {
    expect(withoutUserinfo('https://user:pa55@hooks.example.com/x?a=1')).toBe('https://hooks.example.com/x?a=1');
    expect(withoutUserinfo('connect to http://u@10.0.0.1:8080/p failed; then https://a:b@c.d/')).toBe(
      'connect to http://10.0.0.1:8080/p failed; then https://c.d/',
    );
    expect(withoutUserinfo('mailto:someone@example.com and https://example.com/@me')).toBe(
      'mailto:someone@example.com and https://example.com/@me',
    );
    expect(withoutUserinfo(null)).toBeNull();
  });
});
