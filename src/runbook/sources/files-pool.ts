/**
 * Reader threads for the files source: each reads, gunzips and skims whole `{"Records":[…]}`
 * files (files-worker.ts), so an organisation trail's decompression and parsing use every core
 * while the main thread runs the queries. Files are answered in any order; the source takes the
 * answers in its own order, so what the queries see does not depend on the threads.
 */
import { Worker } from 'node:worker_threads';
import type { FileRead } from './files-read.js';
import type { ReadAnswer, ReadTask } from './files-worker.js';

/** A thread that died (not a file it could not read): the run cannot go on without it. */
export class ReaderThreadFailed extends Error {}

export interface ReaderPool {
  /** The file's records that may hold `needle`; rejects with the reason it could not be read. */
  read(file: string): Promise<FileRead>;
  /** Stops every thread; reads still pending are never answered. */
  close(): Promise<void>;
}

/** Files sent to a thread before its answers come back, so it never waits for the next one. */
const QUEUED_PER_THREAD = 2;

/**
 * The reader thread's module, beside this one: files-worker.js in lib/, and in the CLI bundle
 * its own bundle, which scripts/build-cli.mjs writes beside the chunks. The name is not written
 * inside `new URL(…)`, where ncc's webpack would emit the TypeScript source as an asset.
 */
const WORKER_MODULE = ['.', 'files-worker.js'].join('/');
export const readerEntry = (): URL => new URL(WORKER_MODULE, import.meta.url);

/** `threads` reader threads running `entry` (see `readerEntry`), looking for `needle`. */
export function readerPool(threads: number, needle: string | undefined, entry: URL): ReaderPool {
  interface Task extends ReadTask {
    resolve: (read: FileRead) => void;
    reject: (e: Error) => void;
  }
  const queue: Task[] = [];
  const pending = new Map<number, Task>();
  const busy = new Map<Worker, number>();
  let failed: Error | undefined;
  let closed = false;
  let nextId = 0;

  const send = (worker: Worker): void => {
    const task = queue.shift();
    if (!task) return;
    pending.set(task.id, task);
    busy.set(worker, busy.get(worker)! + 1);
    const message: ReadTask = { id: task.id, file: task.file, needle };
    worker.postMessage(message);
  };
  const fail = (e: Error): void => {
    failed ??= e;
    for (const task of [...pending.values(), ...queue.splice(0)]) task.reject(failed);
    pending.clear();
  };

  const workers: Worker[] = [];
  for (let i = 0; i < threads; i++) {
    const worker = new Worker(entry);
    busy.set(worker, 0);
    worker.on('message', (answer: ReadAnswer) => {
      const task = pending.get(answer.id);
      if (!task) return;
      pending.delete(answer.id);
      busy.set(worker, busy.get(worker)! - 1);
      if ('error' in answer) task.reject(new Error(answer.error));
      else task.resolve({ bytes: answer.bytes, seen: answer.seen, records: answer.records });
      send(worker);
    });
    worker.on('error', (e) =>
      fail(new ReaderThreadFailed(`a file reader thread failed: ${e.message}`)),
    );
    worker.on('exit', (code) => {
      if (!closed && (pending.size > 0 || queue.length > 0))
        fail(new ReaderThreadFailed(`a file reader thread stopped (exit code ${code})`));
    });
    workers.push(worker);
  }

  return {
    read(file) {
      return new Promise<FileRead>((resolve, reject) => {
        if (failed) return reject(failed);
        queue.push({ id: nextId++, file, needle, resolve, reject });
        // The least busy thread with room takes it; otherwise the first to answer will.
        let best: Worker | undefined;
        for (const [worker, n] of busy)
          if (n < QUEUED_PER_THREAD && (best === undefined || n < busy.get(best)!)) best = worker;
        if (best) send(best);
      });
    },
    async close() {
      closed = true;
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
