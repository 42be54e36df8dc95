import { refuse } from '../../core/errors.ts';

// Desk cursors are opaque: base64url of "desk:<propertyId>:<seq>". The property is inside
// so a cursor from another desk is refused instead of silently skipping events.

export function encodeDeskCursor(propertyId: string, seq: number): string {
  return Buffer.from(`desk:${propertyId}:${seq}`, 'utf8').toString('base64url');
}

export function decodeDeskCursor(cursor: string, propertyId: string): number {
  const match = /^desk:([0-9a-f-]{36}):(\d{1,10})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match || match[1] !== propertyId) {
    refuse(
      'INVALID_INPUT',
      'This cursor does not come from this desk; use the cursor of a visitorDesk snapshot or of one of its events.',
      ['after'],
    );
  }
  return Number(match[2]);
}
