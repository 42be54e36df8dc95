import { createHash, randomBytes } from 'node:crypto';
import { Prisma, type PrismaClient, type User } from '../../generated/prisma/client.ts';
import { prismaRow } from '../../db/json-rows.ts';
import { queryRows } from '../../db/raw-sql.ts';
import { Access, type Grant } from './access.ts';

// Bearer tokens: random secrets shown once; only their SHA-256 is stored. A fast hash
// is enough because the secrets are 256-bit random values, not passwords.

const BOOTSTRAP_LABEL = 'bootstrap';
const ADMIN_EMAIL = 'admin@localhost';

export const hashToken = (secret: string) => createHash('sha256').update(secret, 'utf8').digest('hex');

export const newTokenSecret = () => `vwo_${randomBytes(32).toString('base64url')}`;

/** Who a valid token speaks for. */
export interface Session {
  tokenId: string;
  viewer: User;
  access: Access;
}

/** How stale ApiToken.lastUsedAt may get: refreshing it on every request would make every read a write. */
const LAST_USED_PRECISION_MS = 60_000;

interface TokenRow {
  tokenId: string;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  user: unknown;
  roles: Grant[];
}

/**
 * The session of a bearer secret, or null for an unknown, expired or revoked one. Asked
 * by every request: one statement reads the token, its user and the user's roles.
 */
export async function authenticate(prisma: PrismaClient, secret: string, now: Date): Promise<Session | null> {
  const rows = await queryRows<TokenRow>(
    prisma,
    Prisma.sql`
    SELECT t."id" AS "tokenId", t."expiresAt", t."revokedAt", t."lastUsedAt", row_to_json(u) AS "user",
           COALESCE((SELECT json_agg(json_build_object('role', r."role", 'propertyId', r."propertyId") ORDER BY r."id")
                     FROM "RoleAssignment" r WHERE r."userId" = u."id"), '[]') AS "roles"
    FROM "ApiToken" t JOIN "User" u ON u."id" = t."userId"
    WHERE t."tokenHash" = ${hashToken(secret)}`,
  );
  const token = rows[0];
  if (!token || token.revokedAt || (token.expiresAt && token.expiresAt <= now)) return null;
  if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() >= LAST_USED_PRECISION_MS) {
    // Not awaited: the request needs no answer from it, and a lost update is harmless.
    prisma.apiToken.update({ where: { id: token.tokenId }, data: { lastUsedAt: now } }).catch(() => {});
  }
  const viewer = prismaRow<User>('User', token.user)!;
  return { tokenId: token.tokenId, viewer, access: new Access(viewer.id, token.roles, viewer.companyId) };
}

/** Reads the secret from `Bearer <secret>`; null when absent or malformed. */
export function bearerSecret(header: unknown): string | null {
  if (typeof header !== 'string') return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : null;
}

export type BootstrapResult = { kind: 'admin-token' } | { kind: 'generated'; secret: string } | { kind: 'none' };

/**
 * Makes sure someone can sign in. With ADMIN_TOKEN, the administrator's bootstrap token
 * is that value (a changed value replaces the old one). Without it, an empty database
 * gets a generated administrator token, returned here once to be printed.
 */
export async function bootstrapAdmin(prisma: PrismaClient, adminToken: string | undefined): Promise<BootstrapResult> {
  return prisma.$transaction(async (tx) => {
    // Instances starting together take turns; the lock ends with the transaction.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(7240513812)`;
    if (!adminToken && (await tx.user.count()) > 0) return { kind: 'none' as const };
    const secret = adminToken ?? newTokenSecret();
    const admin = await tx.user.upsert({
      where: { email: ADMIN_EMAIL },
      create: { name: 'Administrator', email: ADMIN_EMAIL },
      update: {},
    });
    await tx.roleAssignment.createMany({ data: [{ userId: admin.id, role: 'ADMIN' }], skipDuplicates: true });
    const tokenHash = hashToken(secret);
    await tx.apiToken.updateMany({
      where: { userId: admin.id, label: BOOTSTRAP_LABEL, revokedAt: null, NOT: { tokenHash } },
      data: { revokedAt: new Date() },
    });
    await tx.apiToken.upsert({
      where: { tokenHash },
      create: { userId: admin.id, label: BOOTSTRAP_LABEL, tokenHash },
      update: { revokedAt: null },
    });
    return adminToken ? { kind: 'admin-token' as const } : { kind: 'generated' as const, secret };
  });
}
