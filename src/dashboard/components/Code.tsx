import { prettyBody } from '../format';
import { CopyButton } from './CopyButton';

/** A request or response body: pretty JSON when it parses, the raw text otherwise. */
export function Body({ body, testid, raw = false }: { body: unknown; testid?: string; raw?: boolean }) {
  const text = raw && typeof body === 'string' ? body : prettyBody(body);
  if (!text) return <p class="muted">(empty)</p>;
  return (
    <div class="code-wrap">
      <pre class="code" data-testid={testid}>
        {text}
      </pre>
      <CopyButton text={text} testid={testid ? `${testid}-copy` : 'copy'} />
    </div>
  );
}

export function HeadersTable({
  headers,
  testid,
}: {
  headers: Record<string, string> | null | undefined;
  testid?: string;
}) {
  const entries = Object.entries(headers ?? {});
  if (entries.length === 0) return <p class="muted">(no headers)</p>;
  return (
    <table class="hdrs" data-testid={testid}>
      <tbody>
        {entries.map(([k, v]) => (
          <tr key={k}>
            <th scope="row">{k}</th>
            <td>{v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
