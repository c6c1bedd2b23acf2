import { invalid } from '../core/errors.js';
import type { Json } from '../core/types.js';
import { SECRET_CONFIG_KEYS } from '../store/inbound-rows.js';
import { isSourceType } from './providers/index.js';
import type { SourceConfig, SourceType } from './verify-types.js';

/**
 * A source's `config` as the operator writes it (the shape of Svix Ingest:
 * `{secret}` for most providers) and what the verifiers need
 * (`SourceConfig`, with every accepted secret in `secrets`).
 *
 * Per type:
 * - svix, standard-webhooks, openai, stripe, github, shopify, slack:
 *   `{secret, secrets?: [older secrets still accepted], toleranceSeconds?}`
 * - discord: `{publicKey}` (hex; `publicKeys` for several)
 * - hmac: `{secret, header, algorithm?, encoding?, prefix?, timestampHeader?, signedContent?, idHeader?}`
 * - basic-auth: `{username, password}`; api-key: `{key, header?}`
 * - generic-webhook: `{idHeader?}` (no verification)
 */

/** Svix's names for the same providers. */
const ALIASES: Record<string, SourceType> = { 'open-ai': 'openai' };

export function verifierType(type: string): SourceType | null {
  if (isSourceType(type)) return type;
  return ALIASES[type] ?? null;
}

/**
 * The type name the Svix-shaped routes answer: svix@1's client refuses a
 * source list holding a type it does not know, so Hookway's own types (no
 * Svix equivalent) answer `generic-webhook` there and keep their real type in
 * `hookwayType`; where Svix has the provider, its name (OpenAI is `open-ai`).
 */
const SVIX_NAMES: Partial<Record<SourceType, string>> = {
  svix: 'svix',
  openai: 'open-ai',
  stripe: 'stripe',
  github: 'github',
  shopify: 'shopify',
  slack: 'slack',
  'generic-webhook': 'generic-webhook',
};

export function svixTypeName(type: string): string {
  const t = verifierType(type);
  return (t && SVIX_NAMES[t]) ?? 'generic-webhook';
}

/**
 * The type a write stores: `hookwayType` when given (it must agree with
 * `type`), else `type`. A client writing back the Svix name a source was
 * answered with (a svix@1 update of an `hmac` source sends `generic-webhook`
 * and an empty config) keeps the source's real type and configuration.
 */
export function resolveSourceType(
  body: { type: string; hookwayType?: string | null | undefined; config?: Record<string, Json> | undefined },
  current: { type: string; config: Record<string, Json> } | null,
): { type: string; config: Record<string, Json> } {
  const requested = body.hookwayType ?? body.type;
  if (body.hookwayType && body.type !== body.hookwayType && body.type !== svixTypeName(body.hookwayType)) {
    throw invalid(`type "${body.type.slice(0, 64)}" does not match hookwayType "${body.hookwayType.slice(0, 64)}".`);
  }
  const config = body.config ?? {};
  if (!current) return { type: requested, config };
  const writesBackAlias =
    !body.hookwayType &&
    body.type === svixTypeName(current.type) &&
    verifierType(body.type) !== verifierType(current.type);
  if (writesBackAlias) return { type: current.type, config: { ...current.config, ...config } };
  const sameType = verifierType(requested) === verifierType(current.type);
  return { type: requested, config: mergeConfig(current.config, config, sameType) };
}

export const DEFAULT_BODY_LIMIT = 1024 * 1024;
export const MAX_BODY_LIMIT = 64 * 1024 * 1024;

const SECRETED: ReadonlySet<SourceType> = new Set([
  'svix',
  'standard-webhooks',
  'openai',
  'stripe',
  'github',
  'shopify',
  'slack',
  'hmac',
]);

const str = (v: Json | undefined): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const strList = (v: Json | undefined): string[] =>
  Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string' && s !== '') : [];

function requireString(config: Record<string, Json>, key: string, type: string, max = 1024): string {
  const v = config[key];
  if (typeof v !== 'string' || v.trim() === '') throw invalid(`config.${key} is required for ${type} sources.`);
  if (v.length > max) throw invalid(`config.${key} is too long.`);
  return v;
}

function optionalString(config: Record<string, Json>, key: string, max = 256): void {
  const v = config[key];
  if (v === undefined || v === null) return;
  if (typeof v !== 'string' || v.length > max) throw invalid(`config.${key} must be a string of at most ${max}.`);
}

/** Checks a config for `type`; throws a precise 422. */
export function validateSourceConfig(type: string, config: Record<string, Json>): void {
  const t = verifierType(type);
  if (!t) throw invalid(`type "${type.slice(0, 64)}" is not a supported source type.`);
  const secrets = config.secrets;
  if (
    secrets !== undefined &&
    (!Array.isArray(secrets) || secrets.length > 10 || strList(secrets).length !== secrets.length)
  ) {
    throw invalid('config.secrets must be a list of at most 10 non-empty strings.');
  }
  const tol = config.toleranceSeconds;
  if (tol !== undefined && (typeof tol !== 'number' || !Number.isInteger(tol) || tol < 0 || tol > 86_400)) {
    throw invalid('config.toleranceSeconds must be an integer between 0 and 86400.');
  }
  optionalString(config, 'idHeader');
  if (SECRETED.has(t)) requireString(config, 'secret', type);
  if (t === 'discord') {
    const keys = [str(config.publicKey), ...strList(config.publicKeys)].filter((k) => k !== undefined);
    if (keys.length === 0) throw invalid('config.publicKey is required for discord sources.');
    if (!keys.every((k) => /^[0-9a-fA-F]{64}$/.test(k))) throw invalid('config.publicKey must be 64 hex characters.');
  }
  if (t === 'hmac') {
    requireString(config, 'header', type, 256);
    if (config.algorithm !== undefined && config.algorithm !== 'sha256' && config.algorithm !== 'sha512') {
      throw invalid('config.algorithm must be sha256 or sha512.');
    }
    if (config.encoding !== undefined && config.encoding !== 'hex' && config.encoding !== 'base64') {
      throw invalid('config.encoding must be hex or base64.');
    }
    for (const k of ['prefix', 'timestampHeader', 'signedContent']) optionalString(config, k, 1024);
  }
  if (t === 'basic-auth') {
    const user = requireString(config, 'username', type, 256);
    requireString(config, 'password', type);
    if (user.includes(':')) throw invalid('config.username must not contain ":".');
  }
  if (t === 'api-key') {
    requireString(config, 'key', type);
    optionalString(config, 'header');
  }
}

/** What the verifier of `type` needs, from the operator's config. */
export function toVerifierConfig(type: string, config: Record<string, Json>): SourceConfig {
  const t = verifierType(type);
  const out: SourceConfig = { secrets: [] };
  if (t === 'discord') {
    out.secrets = [str(config.publicKey), ...strList(config.publicKeys)].filter((k) => k !== undefined);
  } else if (t === 'basic-auth') {
    const user = str(config.username);
    const password = str(config.password);
    if (user && password) out.secrets = [`${user}:${password}`];
  } else if (t === 'api-key') {
    out.secrets = [str(config.key), ...strList(config.secrets)].filter((k) => k !== undefined);
    const header = str(config.header);
    if (header) out.apiKeyHeader = header;
  } else {
    out.secrets = [str(config.secret), ...strList(config.secrets)].filter((k) => k !== undefined);
  }
  if (typeof config.toleranceSeconds === 'number') out.toleranceSeconds = config.toleranceSeconds;
  if (t === 'hmac') {
    const header = str(config.header);
    if (header) out.header = header;
    if (config.algorithm === 'sha256' || config.algorithm === 'sha512') out.algorithm = config.algorithm;
    if (config.encoding === 'hex' || config.encoding === 'base64') out.encoding = config.encoding;
    const prefix = str(config.prefix);
    if (prefix) out.prefix = prefix;
    const ts = str(config.timestampHeader);
    if (ts) out.timestampHeader = ts;
    const signed = str(config.signedContent);
    if (signed) out.signedContent = signed;
  }
  const idHeader = str(config.idHeader);
  if (idHeader) out.idHeader = idHeader;
  return out;
}

/** The config as GET shows it: every credential left out (Svix answers `{}` for them too). */
export function publicConfig(config: Record<string, Json>): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(config)) if (!SECRET_CONFIG_KEYS.includes(k)) out[k] = v;
  return out;
}

/**
 * A PUT keeps the stored credentials the body leaves out, when the type is
 * unchanged: GET never shows them, so read-modify-write must not wipe them.
 */
export function mergeConfig(
  previous: Record<string, Json>,
  next: Record<string, Json>,
  sameType: boolean,
): Record<string, Json> {
  if (!sameType) return next;
  const out = { ...next };
  for (const k of SECRET_CONFIG_KEYS) {
    const v = previous[k];
    if (out[k] === undefined && v !== undefined) out[k] = v;
  }
  return out;
}

/** Header names whose values are credentials; signatures are not secrets and stay. */
const CREDENTIAL_HEADER = /(^|-)(authorization|cookie|token|secret|password|passwd|api-?key|apikey|auth|session)($|-)/i;

/**
 * Which received headers are credentials, redacted before an event or a
 * rejection is stored: the usual names, and the header an `api-key` source
 * reads its key from.
 */
export function credentialHeader(type: string, config: Record<string, Json>): (name: string) => boolean {
  const keyHeader = type === 'api-key' ? String(config.header ?? 'x-api-key').toLowerCase() : null;
  return (name) => CREDENTIAL_HEADER.test(name) || name === keyHeader;
}
