/** The work did not finish within its time budget; the flow's error branch takes the caller to a person. */
export class DeadlineExceededError extends Error {
  constructor(readonly budgetMs: number) {
    super(`no answer within ${budgetMs} ms`);
    this.name = 'DeadlineExceededError';
  }
}

/** Resolves with `work`, or rejects with DeadlineExceededError after `ms`. */
export function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceededError(ms)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
