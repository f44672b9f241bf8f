import { sessionConfigOf } from '../../domain/pool-settings.ts';
import { requirePool } from '../../services/lookups.ts';
import { operatorOperation } from '../operation.ts';

// The pool's session tracking and per-user cap on token sessions; a pool never
// configured answers Cognito's defaults, DISABLED and 20 (API reference).
export default operatorOperation('GetUserPoolSessionConfiguration', async (input, ctx) => {
  const pool = await requirePool(ctx.store, input.UserPoolId);
  return { UserPoolId: pool.id, ...sessionConfigOf(pool) };
});
