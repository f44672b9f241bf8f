import type { MasterKey } from '../crypto/master-key.ts';
import { safeEqual } from '../crypto/master-key.ts';
import type { User } from '../domain/user.ts';
import { Errors } from '../errors/cognito-error.ts';
import type { Store } from '../store/store.ts';
import type { Clock } from './clock.ts';
import type { Ids } from './ids.ts';

export type CodePurpose = 'signup' | 'forgot-password' | 'verify:email' | 'verify:phone_number';

const HOUR = 3600_000;
// Lifetimes from the Cognito developer guide: a day for sign-up and attribute
// verification, an hour for password recovery.
export const CODE_TTL_MS: Record<CodePurpose, number> = {
  signup: 24 * HOUR,
  'verify:email': 24 * HOUR,
  'verify:phone_number': 24 * HOUR,
  'forgot-password': HOUR,
};

// Wrong guesses allowed on one code before it is void and a new one is needed.
const MAX_WRONG_GUESSES = 5;

const hashCode = (master: MasterKey, user: User, purpose: CodePurpose, code: string): string => master.mac('code', `${user.sub}|${purpose}|${code}`);

/** Makes a six-digit code, stores only its keyed hash, and returns it for delivery. */
export async function issueCode(store: Store, deps: { master: MasterKey; clock: Clock; ids: Ids }, user: User, purpose: CodePurpose): Promise<string> {
  const code = deps.ids.code(6);
  const now = deps.clock.now();
  await store.tokens.insertCode({
    id: deps.ids.uuid(),
    pool_id: user.poolId,
    sub: user.sub,
    purpose,
    code_hash: hashCode(deps.master, user, purpose, code),
    expires_at: now + CODE_TTL_MS[purpose],
    consumed_at: null,
    attempts: 0,
    created_at: now,
  });
  return code;
}

/**
 * Checks `code` against the user's current code for `purpose` and returns the
 * code's ID, to consume with `consumeCheckedCode` in the transaction that
 * applies its effect. Each guess is reserved atomically before the compare,
 * so parallel guesses cannot pass the cap; a wrong guess keeps its count
 * (run this outside the operation's transaction so the count sticks). A used
 * or expired code, or one replaced by a newer code, is ExpiredCodeException,
 * as Cognito answers.
 */
export async function checkCode(store: Store, deps: { master: MasterKey; clock: Clock }, user: User, purpose: CodePurpose, code: string): Promise<string> {
  const expired = () => Errors.ExpiredCode('Invalid code provided, please request a code again.');
  const row = await store.tokens.latestCode(user.sub, purpose);
  if (!row || row.consumed_at !== null || Number(row.expires_at) <= deps.clock.now()) throw expired();
  if (!(await store.tokens.reserveCodeAttempt(row.id, MAX_WRONG_GUESSES))) throw Errors.LimitExceeded('Attempt limit exceeded, please try after some time.');
  const given = hashCode(deps.master, user, purpose, code);
  if (safeEqual(row.code_hash, given)) {
    await store.tokens.releaseCodeAttempt(row.id);
    return row.id;
  }
  if (await store.tokens.hasCode(user.sub, purpose, given)) {
    await store.tokens.releaseCodeAttempt(row.id);
    throw expired();
  }
  throw Errors.CodeMismatch('Invalid verification code provided, please try again.');
}

/** Marks a checked code used, inside the transaction that applies it: of two concurrent uses, one fails. */
export async function consumeCheckedCode(tx: Store, clock: Clock, id: string): Promise<void> {
  if (!(await tx.tokens.consumeCode(id, clock.now()))) throw Errors.ExpiredCode('Invalid code provided, please request a code again.');
}

/** `checkCode` and `consumeCheckedCode` in one step, for callers whose effect is a single write. */
export async function consumeCode(store: Store, deps: { master: MasterKey; clock: Clock }, user: User, purpose: CodePurpose, code: string): Promise<void> {
  await consumeCheckedCode(store, deps.clock, await checkCode(store, deps, user, purpose, code));
}

/** Cognito's hourly per-user caps on code-related calls (LimitExceededException past them). */
export async function countAttempt(store: Store, clock: Clock, key: string, perHour: number): Promise<void> {
  const n = await store.tokens.hit(key, HOUR, clock.now());
  if (n > perHour) throw Errors.LimitExceeded('Attempt limit exceeded, please try after some time.');
}
