import { chunks, forEachConcurrently } from '../../shared/domain/concurrency';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('chunks', () => {
  it('slices in order, the last slice shorter, nothing for nothing', () => {
    expect(chunks([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunks([], 25)).toEqual([]);
  });
});

describe('forEachConcurrently', () => {
  it('calls every item once, never more than the limit at a time', async () => {
    let running = 0;
    let most = 0;
    const seen: number[] = [];
    await forEachConcurrently(
      Array.from({ length: 50 }, (_, i) => i),
      4,
      async (n) => {
        running++;
        most = Math.max(most, running);
        await tick();
        seen.push(n);
        running--;
      },
    );
    expect(most).toBe(4);
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('rejects with the first failure and starts nothing after it', async () => {
    const started: number[] = [];
    const run = forEachConcurrently([0, 1, 2, 3, 4, 5, 6, 7], 2, async (n) => {
      started.push(n);
      await tick();
      if (n === 1) throw new Error('item 1 failed');
    });
    await expect(run).rejects.toThrow('item 1 failed');
    await tick();
    await tick();
    expect(started.length).toBeLessThanOrEqual(3);
  });
});
