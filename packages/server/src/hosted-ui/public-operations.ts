import type { Context } from '../context.ts';

/**
 * A public user-pool operation called in-process (aws-json/router.ts
 * invokePublic): the pages' sign-up, confirmation and recovery run exactly
 * as the same calls through the API would, validation and messages included.
 */
export type PublicOperations = (name: string, input: Record<string, unknown>, ctx: Context) => Promise<object>;
