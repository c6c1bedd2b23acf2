import pino, { type Logger } from 'pino';
import type { Config } from '../config.js';
import { prettyDestination } from './format.js';
import { LOG_REDACT } from './redact.js';

/** JSON lines, or readable lines on a terminal (HOOKWAY_LOG_FORMAT); redacted either way. */
export function createLogger(config: Config, out: NodeJS.WriteStream = process.stdout): Logger {
  const pretty = config.logFormat === 'pretty' || (config.logFormat === 'auto' && out.isTTY === true);
  // Credentials never reach the log, whatever a future log line includes.
  const options = { level: config.logLevel, redact: LOG_REDACT };
  return pretty ? pino(options, prettyDestination(out)) : pino(options);
}
