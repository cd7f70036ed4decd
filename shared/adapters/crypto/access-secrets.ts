import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { AccessSecrets } from '../../domain/citizen-access';

/** Codes and tokens from the operating system's generator; SHA-256 digests, compared in constant time. */
export const accessSecrets: AccessSecrets = {
  code: () => String(randomInt(0, 1_000_000)).padStart(6, '0'),
  token: () => randomBytes(32).toString('base64url'),
  digest: (value) => createHash('sha256').update(value).digest('base64url'),
  same: (a, b) => {
    const x = Buffer.from(a);
    const y = Buffer.from(b);
    return x.length === y.length && timingSafeEqual(x, y);
  },
};
