/**
 * Interleaves async iterables, yielding each item as soon as its iterable produces it: regions
 * are read in parallel, and the consumer sees their records without waiting for the slowest.
 */
export async function* merge<T>(sources: AsyncIterable<T>[]): AsyncIterable<T> {
  const iterators = sources.map((s) => s[Symbol.asyncIterator]());
  const next = (i: number) => iterators[i]!.next().then((result) => ({ i, result }));
  const pending = new Map(iterators.map((_, i) => [i, next(i)]));
  try {
    while (pending.size > 0) {
      const { i, result } = await Promise.race(pending.values());
      if (result.done) pending.delete(i);
      else {
        pending.set(i, next(i));
        yield result.value;
      }
    }
  } finally {
    // The consumer stopped early or one region failed: stop the others' paging too.
    await Promise.allSettled(iterators.map((it) => it.return?.()));
  }
}
