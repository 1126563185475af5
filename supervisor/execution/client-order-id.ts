/**
 * Client order ids: `tb-<run>-<seq>`, deterministic and unique. `<run>` names the fund instance
 * (1–6 lower-case letters or digits, e.g. the install's short id); `<seq>` is a counter in base 36
 * persisted in `system_meta` BEFORE the id is used, so an id is never handed out twice, across
 * restarts and crashes. The whole id stays within Kraken's free-form `cl_ord_id` limit (printable
 * ASCII ≤ 18 characters).
 */
import type { SystemMetaRepo } from '../../adapters/libsql/index.ts';

/** `system_meta` key of the last client order sequence number handed out (decimal text). */
export const CLIENT_ORDER_SEQ_KEY = 'execution.client_order_seq';

/** Kraken's limit for a free-form `cl_ord_id` (reference/kraken.md §6.1). */
export const MAX_CLIENT_ORDER_ID_LENGTH = 18;

const RUN_ID = /^[a-z0-9]{1,6}$/;
const OURS = /^tb-([a-z0-9]{1,6})-([a-z0-9]+)$/;

/** A source of fresh client order ids. */
export interface ClientOrderIds {
  /** The next id; the sequence is persisted first. Throws `RangeError` when the id would exceed 18 characters (sequence exhausted). */
  next(nowMs: number): string;
  /** True when `clientOrderId` was made by this scheme (any run). Pure. */
  isOurs(clientOrderId: string | null): boolean;
}

/**
 * Creates the id source for run `runId` over the persisted counter. Throws `RangeError` for a run
 * id that is not 1–6 of `[a-z0-9]`, and when the stored counter is corrupt (not a decimal integer).
 */
export function createClientOrderIds(systemMeta: Pick<SystemMetaRepo, 'get' | 'set'>, runId: string): ClientOrderIds {
  if (!RUN_ID.test(runId)) throw new RangeError(`execution run id must be 1–6 characters of [a-z0-9], got ${JSON.stringify(runId)}`);
  return {
    next(nowMs) {
      const stored = systemMeta.get(CLIENT_ORDER_SEQ_KEY);
      if (stored !== undefined && !/^\d+$/.test(stored)) throw new RangeError(`corrupt ${CLIENT_ORDER_SEQ_KEY} in system_meta: ${JSON.stringify(stored)} (a decimal integer is allowed)`);
      const seq = (stored === undefined ? 0 : Number(stored)) + 1;
      const id = `tb-${runId}-${seq.toString(36)}`;
      if (id.length > MAX_CLIENT_ORDER_ID_LENGTH || !Number.isSafeInteger(seq)) {
        throw new RangeError(`client order id ${id} exceeds ${MAX_CLIENT_ORDER_ID_LENGTH} characters: use a shorter run id`);
      }
      systemMeta.set(CLIENT_ORDER_SEQ_KEY, String(seq), nowMs);
      return id;
    },
    isOurs: isOurClientOrderId,
  };
}

/** True when `clientOrderId` has this scheme's shape (`tb-<run>-<seq>`, any run). Pure. */
export function isOurClientOrderId(clientOrderId: string | null): boolean {
  return clientOrderId !== null && OURS.test(clientOrderId);
}
