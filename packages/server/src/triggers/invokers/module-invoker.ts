import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { LocalFunction } from '../function-map.ts';
import { type FunctionInvoker, type Invocation, InvokeFailure, TIMEOUT_REASON } from './invoker.ts';

// A trigger function as a local module: the `handler(event, context)` of
// Lambda's Node.js runtime, run in a worker thread of its own (one per
// module, kept between calls as a warm Lambda container is) so it runs off
// the event loop. A call that overruns its time ends the thread, as Lambda
// ends a timed-out invocation; the next call starts a fresh one.

interface Pending {
  resolve: (value: Invocation) => void;
  reject: (err: InvokeFailure) => void;
  timer: NodeJS.Timeout;
}

class ModuleThread {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private next = 0;
  dead = false;
  /** Set when Cognate ends the thread (a call overran, the server stops), rather than the handler ending it. */
  private stopping = false;

  constructor(fn: LocalFunction, onExit: () => void) {
    this.worker = new Worker(new URL('./module-worker.mjs', import.meta.url), {
      workerData: { file: fn.module, exportName: fn.exportName },
      env: process.env,
    });
    this.worker.unref();
    this.worker.on('message', (msg: { id: number; ok: boolean; output?: unknown; message?: string }) => {
      const call = this.pending.get(msg.id);
      if (!call) return;
      this.pending.delete(msg.id);
      clearTimeout(call.timer);
      call.resolve(msg.ok ? { kind: 'returned', output: msg.output ?? undefined } : { kind: 'failed', message: msg.message ?? '' });
    });
    const fail = (reason: string) => {
      this.dead = true;
      for (const call of this.pending.values()) {
        clearTimeout(call.timer);
        call.reject(new InvokeFailure(reason, false));
      }
      this.pending.clear();
      onExit();
    };
    // An exception nothing caught (thrown in a timer, a stray rejection) ends the thread. Lambda's runtime
    // reports it as the invocation's error, so the calls it was running fail with its message.
    this.worker.on('error', (err) => {
      this.dead = true;
      for (const call of this.pending.values()) {
        clearTimeout(call.timer);
        call.resolve({ kind: 'failed', message: err.message });
      }
      this.pending.clear();
      onExit();
    });
    // A handler that ends its own thread (process.exit) fails the calls it was running, as Lambda's runtime does.
    this.worker.on('exit', (code) => fail(this.stopping ? TIMEOUT_REASON : `Runtime exited with status ${code}.`));
  }

  call(event: object, context: object, timeoutMs: number): Promise<Invocation> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new InvokeFailure(TIMEOUT_REASON, false));
        // A handler still running past its time may be stuck: the thread goes, with any other call it was running.
        void this.stop();
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.worker.postMessage({ id, event, context });
    });
  }

  async stop(): Promise<void> {
    this.dead = true;
    this.stopping = true;
    await this.worker.terminate();
  }
}

export class ModuleInvoker implements FunctionInvoker {
  private readonly threads = new Map<string, ModuleThread>();

  constructor(private readonly resolve: (functionArn: string) => LocalFunction | null) {}

  async invoke(functionArn: string, event: object, timeoutMs: number): Promise<Invocation> {
    const fn = this.resolve(functionArn);
    if (!fn) throw new InvokeFailure('ResourceNotFoundException.', false);
    const key = `${fn.module}#${fn.exportName}`;
    let thread = this.threads.get(key);
    if (!thread || thread.dead) {
      const created: ModuleThread = new ModuleThread(fn, () => {
        if (this.threads.get(key) === created) this.threads.delete(key);
      });
      thread = created;
      this.threads.set(key, thread);
    }
    const context = {
      functionName: fn.name,
      invokedFunctionArn: functionArn,
      awsRequestId: randomUUID(),
      deadline: Date.now() + timeoutMs,
      callbackWaitsForEmptyEventLoop: true,
    };
    return thread.call(event, context, timeoutMs);
  }

  async close(): Promise<void> {
    const threads = [...this.threads.values()];
    this.threads.clear();
    await Promise.all(threads.map((t) => t.stop()));
  }
}
