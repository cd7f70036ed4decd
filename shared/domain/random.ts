import type { RandomSource } from './ticket';

/**
 * A small deterministic generator (mulberry32) for simulations, benchmarks and tests: the same seed gives
 * the same sequence. Never for tickets in production, which use the operating system's generator.
 */
export function seededRandom(seed: number): RandomSource {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
