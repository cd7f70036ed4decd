/**
 * Normalises a name for search: case-, accent- and punctuation-insensitive.
 * "Pérez-Núñez" and "PEREZ nuñez" both become "PEREZ NUNEZ". Idempotent.
 */
export function normalizeName(raw: string): string {
  return raw
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toUpperCase()
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
