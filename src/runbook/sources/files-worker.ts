/**
 * A reader thread of the files source (files-pool.ts): reads, gunzips and skims the files it is
 * sent, one at a time, and sends back each file's records that may be wanted, or why it could
 * not be read. What the records are for is decided on the main thread.
 */
import { parentPort } from 'node:worker_threads';
import { messageOf, readJsonFile } from './files-read.js';

export interface ReadTask {
  id: number;
  file: string;
  needle: string | undefined;
}

export type ReadAnswer =
  { id: number; bytes: number; seen: number; records: unknown[] } | { id: number; error: string };

parentPort?.on('message', ({ id, file, needle }: ReadTask) => {
  let answer: ReadAnswer;
  try {
    answer = { id, ...readJsonFile(file, needle) };
  } catch (e) {
    answer = { id, error: messageOf(e) };
  }
  parentPort!.postMessage(answer);
});
