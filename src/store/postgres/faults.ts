/**
 * Which pg errors mean "the database is not there" rather than "this query
 * is wrong": the server shutting down or starting (class 57P), a broken or
 * refused connection (class 08 and the socket errors), too many connections,
 * a full disk, and the messages pg itself uses when a connection ends or a
 * pool cannot get one in time. Everything else is the caller's problem.
 */
const SQLSTATES: Record<string, string> = {
  '57P01': 'PostgreSQL terminated the connection (restart or pg_terminate_backend)',
  '57P02': 'PostgreSQL crashed',
  '57P03': 'PostgreSQL is starting up or shutting down',
  '53100': 'PostgreSQL disk is full',
  '53200': 'PostgreSQL is out of memory',
  '53300': 'PostgreSQL has too many connections',
};

const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

const MESSAGES = [
  /^Connection terminated/,
  /timeout exceeded when trying to connect/,
  /Client has encountered a connection error and is not queryable/,
  /Client was closed and is not queryable/,
  /the database system is (starting up|shutting down|in recovery mode)/,
];

export function classifyPgFault(err: unknown): string | null {
  if (typeof err !== 'object' || err === null) return null;
  const { code, message } = err as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    const known = SQLSTATES[code];
    if (known) return known;
    if (code.startsWith('08')) return `connection to PostgreSQL failed (${code})`;
    if (SOCKET_CODES.has(code)) return `cannot reach PostgreSQL (${code})`;
  }
  if (typeof message === 'string' && MESSAGES.some((m) => m.test(message)))
    return `PostgreSQL connection lost: ${message}`;
  if (err instanceof AggregateError) {
    for (const e of err.errors) {
      const inner = classifyPgFault(e);
      if (inner) return inner;
    }
  }
  return null;
}
