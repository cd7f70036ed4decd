/**
 * Reads a server-sent events stream (the local desk and telephone network answer with them): each event's
 * name and parsed JSON data, until the stream ends or `signal` aborts.
 */
export async function* serverEvents(
  url: string,
  init: { headers?: Record<string, string>; signal?: AbortSignal } = {},
): AsyncGenerator<{ event: string; data: unknown }> {
  const res = await fetch(url, init);
  if (!res.ok || !res.body) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end).split('\n');
        buffer = buffer.slice(end + 2);
        const data = block.find((l) => l.startsWith('data: '));
        if (!data) continue; // a comment (ping)
        const event = block.find((l) => l.startsWith('event: '))?.slice(7) ?? 'message';
        yield { event, data: JSON.parse(data.slice(6)) as unknown };
      }
    }
  } finally {
    reader.releaseLock();
  }
}
