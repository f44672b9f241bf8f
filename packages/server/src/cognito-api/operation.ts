import type { AuthMode, Context } from '../context.ts';

export interface Operation<A extends AuthMode = AuthMode> {
  /** The operation name as in `X-Amz-Target` and the AWS API reference. */
  name: string;
  auth: A;
  handle(input: never, ctx: Context<A>): Promise<object>;
}

// One helper per auth mode so each operation file states, in its first line,
// how its callers are authenticated; the dispatcher enforces it.
export const publicOperation = <I>(name: string, handle: (input: I, ctx: Context<'public'>) => Promise<object>): Operation<'public'> => ({
  name,
  auth: 'public',
  handle: handle as Operation<'public'>['handle'],
});

export const accessTokenOperation = <I extends { AccessToken?: string }>(
  name: string,
  handle: (input: I, ctx: Context<'accessToken'>) => Promise<object>,
): Operation<'accessToken'> => ({ name, auth: 'accessToken', handle: handle as Operation<'accessToken'>['handle'] });

export const operatorOperation = <I>(name: string, handle: (input: I, ctx: Context<'operator'>) => Promise<object>): Operation<'operator'> => ({
  name,
  auth: 'operator',
  handle: handle as Operation<'operator'>['handle'],
});
