import type { AuthMode, Context } from '../context.ts';
import type { Wire } from '../domain/wire.ts';
import type { RequiredMembers, Requests } from './model/required-members.ts';

export interface Operation<A extends AuthMode = AuthMode> {
  /** The operation name as in `X-Amz-Target` and the AWS API reference. */
  name: string;
  auth: A;
  handle(input: never, ctx: Context<A>): Promise<object>;
}

/** The name of an operation in the Cognito API model. */
export type OperationName = keyof Requests;

/** `I` with the members `K` present and not null. */
export type WithRequired<I, K extends PropertyKey> = I & { [P in K & keyof I]-?: NonNullable<I[P]> };

/**
 * What an operation's handler receives: the SDK's request type as it is on
 * the wire, with the members the model requires present, since the
 * validator (aws-json/validate.ts) refuses a request without them before the
 * handler runs. Both come from model/required-members.ts, generated from the
 * model by scripts/required-members.mjs.
 */
export type InputOf<N extends OperationName> = WithRequired<Wire<Requests[N]>, RequiredMembers[N]>;

/** The operations whose request carries an access token. */
type AccessTokenOperationName = { [N in OperationName]: Requests[N] extends { AccessToken?: string } ? N : never }[OperationName];

// One helper per auth mode so each operation file states, in its first line,
// how its callers are authenticated; the dispatcher enforces it. The name
// gives the input's type.
export const publicOperation = <N extends OperationName>(
  name: N,
  handle: (input: InputOf<N>, ctx: Context<'public'>) => Promise<object>,
): Operation<'public'> => ({
  name,
  auth: 'public',
  handle: handle as Operation<'public'>['handle'],
});

export const accessTokenOperation = <N extends AccessTokenOperationName>(
  name: N,
  handle: (input: InputOf<N>, ctx: Context<'accessToken'>) => Promise<object>,
): Operation<'accessToken'> => ({ name, auth: 'accessToken', handle: handle as Operation<'accessToken'>['handle'] });

export const operatorOperation = <N extends OperationName>(
  name: N,
  handle: (input: InputOf<N>, ctx: Context<'operator'>) => Promise<object>,
): Operation<'operator'> => ({
  name,
  auth: 'operator',
  handle: handle as Operation<'operator'>['handle'],
});
