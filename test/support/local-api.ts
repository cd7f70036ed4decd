/** The staff API of a running local back end, as a script signed in as a supervisor calls it. */
export function localApi(backEnd: { readonly url: string; readonly token: string }) {
  return async (path: string, method = 'GET', body?: unknown, ifMatch?: string) => {
    const res = await fetch(`${backEnd.url}/api${path}`, {
      method,
      headers: {
        authorization: `Bearer ${backEnd.token}`,
        'content-type': 'application/json',
        ...(ifMatch ? { 'if-match': ifMatch } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return {
      status: res.status,
      etag: res.headers.get('etag'),
      body: (await res.json()) as any, // eslint-disable-line @typescript-eslint/no-explicit-any
    };
  };
}
