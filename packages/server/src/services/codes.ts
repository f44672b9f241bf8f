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
 * Consumes the user's current code for `purpose` if `code` matches. A wrong
 * code counts against it; a used, superseded or expired one is
 * ExpiredCodeException, as Cognito answers.
 */
export async function consumeCode(store: Store, deps: { master: MasterKey; clock: Clock }, user: User, purpose: CodePurpose, code: string): Promise<void> {
  const row = await store.tokens.latestCode(user.sub, purpose);
  const now = deps.clock.now();
  if (!row || row.consumed_at !== null || Number(row.expires_at) <= now || row.attempts >= MAX_WRONG_GUESSES) {
    if (row && row.attempts >= MAX_WRONG_GUESSES && row.consumed_at === null && Number(row.expires_at) > now) {
      throw Errors.LimitExceeded('Attempt limit exceeded, please try after some time.');
    }
    throw Errors.ExpiredCode('Invalid code provided, please request a code again.');
  }
  const given = hashCode(deps.master, user, purpose, code);
  if (!safeEqual(row.code_hash, given)) {
    // A code that was valid once but has been replaced by a newer one is "expired", as Cognito says.
    if (await store.tokens.hasCode(user.sub, purpose, given)) throw Errors.ExpiredCode('Invalid code provided, please request a code again.');
    await store.tokens.countCodeAttempt(row.id);
    throw Errors.CodeMismatch('Invalid verification code provided, please try again.');
  }
  if (!(await store.tokens.consumeCode(row.id, now))) throw Errors.ExpiredCode('Invalid code provided, please request a code again.');
}

/** Cognito's hourly per-user caps on code-related calls (LimitExceededException past them). */
export async function countAttempt(store: Store, clock: Clock, key: string, perHour: number): Promise<void> {
  const n = await store.tokens.hit(key, HOUR, clock.now());
  if (n > perHour) throw Errors.LimitExceeded('Attempt limit exceeded, please try after some time.');
}
