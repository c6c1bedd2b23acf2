/**
 * What the log never shows, whatever a log line includes: tokens, secrets,
 * source configs (credentials) and every header map (custom endpoint headers
 * carry API keys; request headers carry signatures and cookies). pino censors
 * these paths at serialisation, so a careless `log.info({ endpoint })` is safe.
 */
export const LOG_REDACT = {
  paths: [
    'req.headers.authorization',
    'req.headers.cookie',
    'headers',
    '*.headers',
    '*.*.headers',
    'secret',
    '*.secret',
    '*.secrets',
    '*.*.secrets',
    'token',
    '*.token',
    '*.key',
    '*.password',
    '*.authorization',
    'config',
    '*.config',
  ],
  censor: '[redacted]',
};
