import type { Context } from '../context.ts';
import type { InputOf, Schema } from './schema.ts';

/**
 * A CognateService operation: Cognate's own operator API, beside Cognito's
 * (X-Amz-Target `CognateService.<name>`). All are operator operations, signed
 * with SigV4 like Cognito's admin calls; each validates its input against its
 * own schema since the botocore model does not know them.
 */
export interface CognateOperation {
  name: string;
  schema: Schema;
  handle(input: never, ctx: Context<'operator'>): Promise<object>;
}

export const cognateOperation = <S extends Schema>(
  name: string,
  schema: S,
  handle: (input: InputOf<S>, ctx: Context<'operator'>) => Promise<object>,
): CognateOperation => ({
  name,
  schema,
  handle: handle as CognateOperation['handle'],
});
