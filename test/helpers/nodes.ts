/**
 * Several server processes on one PostgreSQL schema (test/pg/): their shared
 * environment, and what each node sent by its own count.
 */

/** One deployment's environment: same database, schema, token and master key on every node. */
export function nodeEnv(db: { url: string; schema: string }, token: string): Record<string, string> {
  return {
    HOOKWAY_DATABASE_URL: db.url,
    HOOKWAY_DATABASE_SCHEMA: db.schema,
    HOOKWAY_PORT: '0',
    HOOKWAY_ADMIN_TOKEN: token,
    HOOKWAY_ALLOWED_TARGETS: '127.0.0.0/8',
    HOOKWAY_MASTER_KEY: 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=',
  };
}

const SENT = 'hookway_attempts_total{outcome="succeeded",status_class="2xx"}';

/** Successful attempts this node made: /metrics counts per process. */
export async function attemptsSentBy(node: { url: string; token: string }): Promise<number> {
  const res = await fetch(`${node.url}/metrics`, { headers: { authorization: `Bearer ${node.token}` } });
  const line = (await res.text()).split('\n').find((l) => l.startsWith(`${SENT} `));
  return line ? Number(line.slice(SENT.length + 1)) : 0;
}
