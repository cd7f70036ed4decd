import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  mkdirSync,
  openSync,
  readSync,
  closeSync,
  statSync,
  rmSync,
  writeFileSync,
  readFileSync,
  existsSync,
} from 'node:fs';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FileStore, UploadOffer } from '../shared/domain/documents';

const OFFER_SECONDS = 15 * 60;
const LINK_SECONDS = 5 * 60;

/**
 * The citizens' uploaded files on this machine, standing in for the encrypted bucket: a folder, and signed,
 * short-lived addresses on the local server (`/local/uploads/<key>`) to PUT a file to (no larger than offered)
 * or GET it back, as presigned S3 requests do in AWS.
 */
export function localUploads(dir: string, baseUrl: () => string) {
  mkdirSync(dir, { recursive: true });
  const secret = randomBytes(32);
  const sign = (what: string) => createHmac('sha256', secret).update(what).digest('base64url');
  const pathOf = (key: string) => join(dir, key.replace(/[^A-Za-z0-9_-]/g, '_'));
  const valid = (what: string, sig: string | null) => {
    const want = Buffer.from(sign(what));
    const got = Buffer.from(sig ?? '');
    return want.length === got.length && timingSafeEqual(want, got);
  };

  const files: FileStore = {
    async offer(key, contentType, maxBytes): Promise<UploadOffer> {
      const expires = Math.floor(Date.now() / 1000) + OFFER_SECONDS;
      const sig = sign(`PUT\n${key}\n${contentType}\n${maxBytes}\n${expires}`);
      const query = new URLSearchParams({
        type: contentType,
        max: String(maxBytes),
        expires: String(expires),
        sig,
      });
      return {
        method: 'PUT',
        url: `${baseUrl()}/local/uploads/${encodeURIComponent(key)}?${query}`,
        fields: { 'content-type': contentType },
        maxBytes,
        expiresAt: new Date(expires * 1000).toISOString(),
      };
    },
    async peek(key, bytes) {
      const path = pathOf(key);
      if (!existsSync(path)) return undefined;
      const fd = openSync(path, 'r');
      try {
        const start = Buffer.alloc(bytes);
        const read = readSync(fd, start, 0, bytes, 0);
        return { size: statSync(path).size, start: new Uint8Array(start.subarray(0, read)) };
      } finally {
        closeSync(fd);
      }
    },
    async link(key, contentType) {
      const expires = Math.floor(Date.now() / 1000) + LINK_SECONDS;
      const sig = sign(`GET\n${key}\n${contentType}\n${expires}`);
      const query = new URLSearchParams({ type: contentType, expires: String(expires), sig });
      return `${baseUrl()}/local/uploads/${encodeURIComponent(key)}?${query}`;
    },
    async remove(key) {
      rmSync(pathOf(key), { force: true });
    },
  };

  /** The local server's `/local/uploads/<key>`: a signed PUT stores the file, a signed GET gives it back. */
  async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const key = decodeURIComponent(url.pathname.slice('/local/uploads/'.length));
    const type = url.searchParams.get('type') ?? '';
    const expires = Number(url.searchParams.get('expires'));
    const answer = (status: number, code: string, message: string) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ code, message }));
    };
    if (!Number.isFinite(expires) || expires * 1000 < Date.now())
      return answer(403, 'EXPIRED', 'this address has expired');
    if (req.method === 'PUT') {
      const max = Number(url.searchParams.get('max'));
      if (!valid(`PUT\n${key}\n${type}\n${max}\n${expires}`, url.searchParams.get('sig')))
        return answer(403, 'FORBIDDEN', 'not a valid upload address');
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of req as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > max) return answer(413, 'TOO_LARGE', `the file is larger than ${max} bytes`);
        chunks.push(chunk);
      }
      writeFileSync(pathOf(key), Buffer.concat(chunks));
      res.writeHead(204);
      return void res.end();
    }
    if (req.method === 'GET') {
      if (!valid(`GET\n${key}\n${type}\n${expires}`, url.searchParams.get('sig')))
        return answer(403, 'FORBIDDEN', 'not a valid address');
      if (!existsSync(pathOf(key))) return answer(404, 'NOT_FOUND', 'no such file');
      res.writeHead(200, {
        'content-type': type,
        'content-disposition': 'inline',
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-store',
      });
      return void res.end(readFileSync(pathOf(key)));
    }
    return answer(405, 'METHOD_NOT_ALLOWED', 'use PUT or GET');
  }

  return { files, handle };
}
