// Runs a local trigger module's handler in a worker thread, so a slow or
// looping handler cannot stall the server's event loop (module-invoker.ts
// terminates the thread when it overruns). Plain JavaScript because a worker
// thread does not inherit the tsx loader; it registers tsx itself, so a
// handler may be written in TypeScript too.
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { file, exportName } = workerData;
const loaded = import(pathToFileURL(file).href).then((mod) => {
  const handler = mod[exportName] ?? mod.default?.[exportName];
  if (typeof handler !== 'function') throw new Error(`${file} exports no function named ${exportName}`);
  return handler;
});
// A module that fails to load fails each call with its error (below); marked
// handled here so that a failure before the first call does not end the thread.
loaded.catch(() => {});

// The Lambda Node.js runtime's two styles: a handler that returns (or
// resolves to) its output, or one that calls back (callback or the legacy
// context.done / succeed / fail).
function run(handler, event, context) {
  return new Promise((resolve, reject) => {
    const callback = (err, output) => (err ? reject(err) : resolve(output));
    const ctx = {
      ...context,
      done: callback,
      succeed: (output) => resolve(output),
      fail: (err) => reject(err),
      getRemainingTimeInMillis: () => context.deadline - Date.now(),
    };
    try {
      const result = handler(event, ctx, callback);
      if (result && typeof result.then === 'function') result.then(resolve, reject);
    } catch (err) {
      reject(err);
    }
  });
}

parentPort.on('message', async ({ id, event, context }) => {
  try {
    const handler = await loaded;
    const output = await run(handler, event, context);
    parentPort.postMessage({ id, ok: true, output: output === undefined ? null : JSON.parse(JSON.stringify(output)) });
  } catch (err) {
    const message = err instanceof Error ? err.message : typeof err === 'string' ? err : JSON.stringify(err);
    parentPort.postMessage({ id, ok: false, message: message ?? String(err) });
  }
});
