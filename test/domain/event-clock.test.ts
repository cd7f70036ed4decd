import { eventClock, IDLE_SHARD_MS, LIVE_TOLERANCE_MS } from '../../shared/domain/metrics/clock';

const wall = new Date('2026-11-30T01:00:00.000Z'); // Sunday 20:00 in Panama
const at = (ms: number) => new Date(wall.getTime() + ms).toISOString();

describe("the events' clock", () => {
  it('is the wall clock when nothing was received yet', () => {
    expect(eventClock([], wall)).toEqual({ now: wall, live: true });
  });

  it('is the wall clock while the events arrive as they happen', () => {
    const shards = [
      { shard: 'a', at: at(-2_000), receivedAt: at(-1_000) },
      { shard: 'b', at: at(-LIVE_TOLERANCE_MS + 5_000), receivedAt: at(0) },
    ];
    expect(eventClock(shards, wall)).toEqual({ now: wall, live: true });
  });

  it("stands at a simulated Friday's latest events, the lowest of the active shards", () => {
    const friday = Date.parse('2026-11-27T16:00:00.000Z');
    const shards = [
      { shard: 'a', at: new Date(friday + 40_000).toISOString(), receivedAt: at(-300) },
      { shard: 'b', at: new Date(friday).toISOString(), receivedAt: at(-100) },
    ];
    expect(eventClock(shards, wall)).toEqual({ now: new Date(friday), live: false });
  });

  it('follows a day played ahead of the wall clock', () => {
    const ahead = wall.getTime() + 6 * 3600_000;
    expect(eventClock([{ shard: 'a', at: new Date(ahead).toISOString(), receivedAt: at(0) }], wall)).toEqual({
      now: new Date(ahead),
      live: false,
    });
  });

  it('leaves out a shard that went idle long before the others', () => {
    const shards = [
      { shard: 'old', at: '2026-11-20T15:00:00.000Z', receivedAt: at(-IDLE_SHARD_MS - 1) },
      { shard: 'a', at: '2026-11-27T16:00:00.000Z', receivedAt: at(0) },
    ];
    expect(eventClock(shards, wall).now.toISOString()).toBe('2026-11-27T16:00:00.000Z');
  });

  it('does not move after a stopped simulation, however much later it is read', () => {
    const shards = [{ shard: 'a', at: '2026-11-27T16:00:00.000Z', receivedAt: at(-3 * 86_400_000) }];
    expect(eventClock(shards, wall).now.toISOString()).toBe('2026-11-27T16:00:00.000Z');
  });
});
