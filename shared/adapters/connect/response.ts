/** A flow function's answer: a flat map of strings (STRING_MAP validation), well under Connect's 32 KB. */
export type StringMap = Record<string, string>;

export type ConnectOutcome =
  | 'OK'
  | 'NOT_FOUND'
  | 'INVALID_TICKET'
  | 'UNVERIFIED'
  | 'INVALID_INPUT'
  | 'SLOT_FULL'
  | 'BOOKING_LIMIT'
  | 'HOLD_EXPIRED'
  | 'NO_SHOW_LIMIT';

const MAX_BYTES = 30_000;

export function stringMap(
  outcome: ConnectOutcome,
  fields: Record<string, string | number | boolean | undefined>,
): StringMap {
  const out: StringMap = { outcome };
  for (const [key, value] of Object.entries(fields)) out[key] = value === undefined ? '' : String(value);
  if (Buffer.byteLength(JSON.stringify(out)) > MAX_BYTES)
    throw new Error('response exceeds the STRING_MAP size budget');
  return out;
}
