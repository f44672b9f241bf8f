// How a trigger's function is reached: the Lambda Invoke API, a local module,
// or an HTTPS URL. Each answers the same three ways, which trigger.ts maps to
// Cognito's exceptions.

export type Invocation =
  /** The function returned: its JSON output (undefined when it returned nothing). */
  | { kind: 'returned'; output: unknown }
  /** The function ran and failed (threw, called back with an error): its message. */
  | { kind: 'failed'; message: string };

/** The function could not be run or did not answer in time. */
export class InvokeFailure extends Error {
  constructor(
    /** The reason, in the words Cognito puts after "invocation failed due to error". */
    message: string,
    /** Worth another attempt (connection refused or reset, throttled) within the time left. */
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'InvokeFailure';
  }
}

export const TIMEOUT_REASON = 'Socket timeout while invoking Lambda function.';

export interface FunctionInvoker {
  /** Runs the function with `event`; rejects with InvokeFailure when it cannot, or after `timeoutMs`. */
  invoke(functionArn: string, event: object, timeoutMs: number): Promise<Invocation>;
  /** Releases workers and sockets (the server is stopping). */
  close(): Promise<void>;
}
