/**
 * Reads until `ok` holds or `ms` pass, and returns the last value read: the test then asserts on it, so a
 * timeout fails with what was seen, not with a bare "timed out".
 */
export async function until<T>(
  read: () => Promise<T>,
  ok: (v: T) => boolean,
  ms = 8000,
  everyMs = 25,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
