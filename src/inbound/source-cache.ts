import type { Source } from '../store/inbound-port.js';
import type { Store } from '../store/port.js';
import { toVerifierConfig } from './source-config.js';
import type { SourceConfig } from './verify-types.js';

/**
 * Sources as the hot path of `POST /in/{source}` reads them: cached for
 * CACHE_MS, so this node's own changes (which call `clear`) apply at once and
 * other nodes' within a second. The verifier config derived from a source is
 * kept beside it, so a request does not parse the stored config again.
 */
const CACHE_MS = 1_000;
/** Past this many ids (most of them unknown ones, probed by someone), the cache starts over. */
const MAX_ENTRIES = 10_000;

export interface SourceCache {
  /** A source by id or uid; null (also cached) when there is none. */
  get(idOrUid: string): Promise<Source | null>;
  verifierConfig(source: Source): SourceConfig;
  clear(): void;
}

interface Cached<T> {
  value: T;
  at: number;
}

export function createSourceCache(store: Pick<Store, 'getSource'>, now: () => number): SourceCache {
  const sources = new Map<string, Cached<Source | null>>();
  const configs = new WeakMap<Source, SourceConfig>();
  return {
    async get(idOrUid) {
      const hit = sources.get(idOrUid);
      const t = now();
      if (hit && t - hit.at < CACHE_MS) return hit.value;
      const value = await store.getSource(idOrUid);
      if (sources.size > MAX_ENTRIES) sources.clear();
      sources.set(idOrUid, { value, at: t });
      return value;
    },
    verifierConfig(source) {
      let c = configs.get(source);
      if (!c) {
        c = toVerifierConfig(source.type, source.config);
        configs.set(source, c);
      }
      return c;
    },
    clear() {
      sources.clear();
    },
  };
}
