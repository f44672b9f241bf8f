// Request and response shapes come from the AWS SDK's own model (types only,
// erased at run time). On the wire, timestamps are epoch seconds and the SDK's
// `| undefined` optionals are plain optionals.
export type Wire<T> = T extends Date
  ? number
  : T extends Uint8Array
    ? string
    : T extends (infer E)[]
      ? Wire<E>[]
      : T extends object
        ? { [K in keyof T]: Wire<Exclude<T[K], undefined>> | undefined }
        : T;

export const epochSeconds = (ms: number): number => Math.floor(ms / 1000);
