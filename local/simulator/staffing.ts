/**
 * How many agents a queue needs, by Erlang C: the standard model of a call-center queue (Poisson arrivals,
 * exponential handle times, callers who wait), used to staff real contact centers interval by interval.
 */

/** The probability that a contact has to wait, with `agents` serving `erlangs` of traffic (Erlang C). */
export function erlangC(erlangs: number, agents: number): number {
  if (erlangs <= 0) return 0;
  if (agents <= erlangs) return 1;
  // Erlang B by its stable recurrence, then C from B.
  let b = 1;
  for (let k = 1; k <= agents; k++) b = (erlangs * b) / (k + erlangs * b);
  return b / (1 - (erlangs / agents) * (1 - b));
}

/** The share of contacts answered within `targetSeconds`. */
export function serviceLevel(
  perSecond: number,
  handleSeconds: number,
  agents: number,
  targetSeconds: number,
): number {
  const erlangs = perSecond * handleSeconds;
  if (erlangs <= 0) return 1;
  if (agents <= erlangs) return 0;
  return 1 - erlangC(erlangs, agents) * Math.exp(-((agents - erlangs) * targetSeconds) / handleSeconds);
}

/** The fewest agents that answer `target` of the contacts within `targetSeconds` (at least one). */
export function agentsNeeded(
  perSecond: number,
  handleSeconds: number,
  target: number,
  targetSeconds: number,
): number {
  let agents = Math.max(1, Math.ceil(perSecond * handleSeconds));
  while (serviceLevel(perSecond, handleSeconds, agents, targetSeconds) < target) agents++;
  return agents;
}
