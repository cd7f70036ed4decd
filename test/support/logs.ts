/**
 * Runs `run` with stdout and stderr captured, and gives its result with the JSON log lines it wrote (a
 * function's logger writes one JSON object a line; errors and warnings go to stderr).
 */
export async function withCapturedLogs<T>(
  run: () => Promise<T>,
): Promise<{ result: T; logs: Record<string, unknown>[] }> {
  const written: string[] = [];
  const spies = [process.stdout, process.stderr].map((stream) =>
    jest.spyOn(stream, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    }),
  );
  try {
    const result = await run();
    const logs = written
      .flatMap((chunk) => chunk.split('\n'))
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    return { result, logs };
  } finally {
    spies.forEach((spy) => spy.mockRestore());
  }
}
