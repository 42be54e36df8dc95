import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EMBEDDED_SHARED_BUFFERS, openDatabase } from '../src/db/database.ts';

// The embedded database keeps a small page cache of its own (PostgreSQL's 128MB default
// would stay resident in every idle server); EMBEDDED_SHARED_BUFFERS changes it.

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function sharedBuffers(sharedBuffers?: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'vwo-buffers-'));
  dirs.push(dir);
  const db = await openDatabase({ dataDir: join(dir, 'data'), sharedBuffers });
  try {
    const rows = await db.withConnection((conn) => conn.query<{ shared_buffers: string }>('SHOW shared_buffers'));
    return rows[0].shared_buffers;
  } finally {
    await db.close();
  }
}

describe('the embedded database', () => {
  it('keeps a 16MB page cache unless told otherwise', async () => {
    expect(EMBEDDED_SHARED_BUFFERS).toBe('16MB');
    expect(await sharedBuffers()).toBe('16MB');
    expect(await sharedBuffers('48MB')).toBe('48MB');
  }, 60_000);
});
