/** `n` calls of `fn(i)`, `inFlight` at a time; calls per second. */
export async function rate(n: number, inFlight: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const worker = async () => {
    while (next < n) await fn(next++);
  };
  const t = performance.now();
  await Promise.all(Array.from({ length: Math.min(inFlight, n) }, worker));
  return n / ((performance.now() - t) / 1000);
}
