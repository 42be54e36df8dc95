// The human-readable Request ID of a work order is its sequence number, zero-padded:
// WO-000042. The number is assigned by a database sequence inside the creating
// transaction, so concurrent creations never share one.

const PREFIX = 'WO-';
const PATTERN = /^WO-(\d{1,12})$/i;

export function formatRequestId(number: number): string {
  return `${PREFIX}${String(number).padStart(6, '0')}`;
}

/** The sequence number behind a Request ID, or null when the text is not one. */
export function parseRequestId(text: string): number | null {
  const match = PATTERN.exec(text.trim());
  if (!match) return null;
  const n = Number(match[1]);
  return Number.isSafeInteger(n) && n > 0 && n <= 2_147_483_647 ? n : null;
}
