/**
 * Phone numbers that arrive already in E.164 from the network (Connect's customer endpoint for voice, SMS and
 * WhatsApp), checked without libphonenumber's metadata: a function that only ever sees E.164 need not carry
 * 120 KB of numbering plans. For any number libphonenumber deems possible, the result equals normalizePhone's
 * (a test holds the two together, and this list of calling codes to libphonenumber's).
 */
export const COUNTRY_CALLING_CODES: ReadonlySet<string> = new Set(
  '1 7 20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98 211 212 213 216 218 220 221 222 223 224 225 226 227 228 229 230 231 232 233 234 235 236 237 238 239 240 241 242 243 244 245 246 247 248 249 250 251 252 253 254 255 256 257 258 260 261 262 263 264 265 266 267 268 269 290 291 297 298 299 350 351 352 353 354 355 356 357 358 359 370 371 372 373 374 375 376 377 378 380 381 382 383 385 386 387 389 420 421 423 500 501 502 503 504 505 506 507 508 509 590 591 592 593 594 595 596 597 598 599 670 672 673 674 675 676 677 678 679 680 681 682 683 685 686 687 688 689 690 691 692 850 852 853 855 856 880 886 960 961 962 963 964 965 966 967 968 970 971 972 973 974 975 976 977 992 993 994 995 996 998'.split(
    ' ',
  ),
);

/** "+50760001234" → itself; anything that is not a plausible E.164 number → undefined. */
export function parseE164(raw: string): string | undefined {
  const value = raw.trim();
  if (!/^\+[1-9]\d{5,19}$/.test(value)) return undefined;
  const digits = value.slice(1);
  // Calling codes are a prefix code: at most one of the first 1, 2 or 3 digits is one.
  for (const length of [1, 2, 3]) {
    const code = digits.slice(0, length);
    if (!COUNTRY_CALLING_CODES.has(code)) continue;
    const national = digits.length - length;
    // North America has one numbering plan: ten digits after the 1.
    if (code === '1') return national === 10 ? value : undefined;
    return national >= 4 && national <= 17 ? value : undefined;
  }
  return undefined;
}
