/**
 * The Content-Security-Policy of the staff pages, one text for every place that serves them: nothing but the
 * page's own origin, plus — in AWS, where the API and the hosted sign-in live on their own hosts — the
 * sources it talks to. No page may be framed, except the agent panel by Amazon Connect's agent workspace; only
 * the agent page frames anything: the instance's softphone, on the standalone page.
 */
export function pageCsp(
  connectSources: readonly string[] = [],
  frameAncestors: readonly string[] = [],
  frameSources: readonly string[] = [],
): string {
  return [
    "default-src 'self'",
    ...(frameSources.length ? [`frame-src ${frameSources.join(' ')}`] : []),
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    `connect-src ${["'self'", ...connectSources].join(' ')}`,
    `frame-ancestors ${frameAncestors.length ? frameAncestors.join(' ') : "'none'"}`,
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');
}
