import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/port.js';
import { appsContract } from './apps-contract.js';
import { attemptLogContract } from './attempt-log-contract.js';
import { attemptsContract } from './attempts-contract.js';
import { claimContract } from './claim-contract.js';
import { endpointsContract } from './endpoints-contract.js';
import { eventTypesContract } from './event-types-contract.js';
import { fifoContract } from './fifo-contract.js';
import { filterContract } from './filter-contract.js';
import { inboundContract } from './inbound-contract.js';
import { keysContract } from './keys-contract.js';
import { messagesContract } from './messages-contract.js';
import { opsContract } from './ops-contract.js';
import { traceContract } from './trace-contract.js';

/**
 * The Store contract: every adapter runs this same suite (BullMQ's habit of
 * rerunning one suite per backend). `open` returns a store on an empty
 * database, migrated or not: the suite calls `migrate()` itself. `cleanup`
 * runs after each test, once the store is closed.
 *
 * Each area is its own file (`*-contract.ts`), given `() => store`: the
 * migrated store of the current test. All times are explicit, so nothing
 * here depends on the clock or on timing.
 */
export function storeContract(name: string, open: () => Promise<Store>, cleanup?: () => Promise<void>): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;

    beforeEach(async () => {
      store = await open();
      await store.migrate();
    });

    afterEach(async () => {
      await store.close();
      await cleanup?.();
    });

    describe('migrations', () => {
      it('names its dialect', () => {
        expect(['sqlite', 'postgres']).toContain(store.dialect);
      });

      it('migrate() is idempotent: once applied, calling it again applies nothing', async () => {
        expect(await store.migrate()).toEqual({ applied: [] });
        expect(await store.migrate()).toEqual({ applied: [] });
      });
    });

    const current = () => store;
    appsContract(current);
    eventTypesContract(current);
    endpointsContract(current);
    messagesContract(current);
    claimContract(current);
    attemptsContract(current);
    attemptLogContract(current);
    keysContract(current);
    inboundContract(current);
    opsContract(current);
    filterContract(current);
    fifoContract(current);
    traceContract(current);

    describe('wake', () => {
      it('onWake returns an unsubscribe function', () => {
        const off = store.onWake(() => {});
        expect(typeof off).toBe('function');
        off();
      });
    });
  });
}
