import type { Role, User } from '../../generated/prisma/client.ts';
import { found, inputField, refuse } from '../../core/errors.ts';
import { mustAdminister } from '../organisation/organisation.ts';
import type { Change, Work } from '../../core/unit-of-work.ts';

// Granting and revoking roles. PROPERTY_MANAGER and DESK belong to one property; ADMIN and
// VENDOR to the whole organisation. A user may hold several.

export interface RoleInput {
  userId: string;
  role: Role;
  propertyId?: string | null;
}

const PROPERTY_ROLES = new Set<Role>(['PROPERTY_MANAGER', 'DESK']);

/** A role assignment as asked: a property exactly for the roles held at one. */
interface Assignment {
  userId: string;
  role: Role;
  propertyId: string | null;
}

function assignment(input: RoleInput): Assignment {
  const propertyId = input.propertyId ?? null;
  if (PROPERTY_ROLES.has(input.role) && !propertyId) {
    refuse('INVALID_INPUT', `${input.role} is a role at one property; give its propertyId.`, inputField('propertyId'));
  }
  if (!PROPERTY_ROLES.has(input.role) && propertyId) {
    refuse('INVALID_INPUT', `${input.role} is organisation-wide; leave propertyId out.`, inputField('propertyId'));
  }
  return { userId: input.userId, role: input.role, propertyId };
}

/** Loads the user and checks the property the role names (or null). */
async function roleTarget(work: Work, input: Assignment): Promise<{ user: User; propertyId: string | null }> {
  const { propertyId } = input;
  const user = await found(work.tx.user.findUnique({ where: { id: input.userId } }), inputField('userId'), 'user');
  if (propertyId) {
    await found(
      work.tx.property.findUnique({ where: { id: propertyId }, select: { id: true } }),
      inputField('propertyId'),
      'property',
    );
  }
  return { user, propertyId };
}

export function grantRole(input: RoleInput): Change<User> {
  const asked = assignment(input);
  return (work) => grant(work, asked);
}

async function grant(work: Work, input: Assignment): Promise<User> {
  mustAdminister(work, 'grant roles');
  const { user, propertyId } = await roleTarget(work, input);
  if (input.role === 'VENDOR' && !user.companyId) {
    refuse('INVALID_INPUT', 'Only a user of a company can be a VENDOR; create the user with a companyId.', inputField('userId'));
  }
  // Granting a role the user already holds changes nothing (and records nothing).
  const { count } = await work.tx.roleAssignment.createMany({
    data: [{ userId: user.id, role: input.role, propertyId }],
    skipDuplicates: true,
  });
  if (count > 0) {
    work.audit('user.roleGranted', { type: 'User', id: user.id, propertyId }, null, { role: input.role, propertyId });
  }
  return user;
}

export function revokeRole(input: RoleInput): Change<User> {
  const asked = assignment(input);
  return (work) => revoke(work, asked);
}

async function revoke(work: Work, input: Assignment): Promise<User> {
  mustAdminister(work, 'revoke roles');
  const { user, propertyId } = await roleTarget(work, input);
  if (input.role === 'ADMIN') {
    // Administrators take turns here, so two revoking each other cannot both succeed.
    await work.tx.$executeRaw`SELECT pg_advisory_xact_lock(7240513813)`;
    const admins = await work.tx.roleAssignment.count({ where: { role: 'ADMIN' } });
    if (admins <= 1) {
      refuse('CONFLICT', 'This is the last administrator; grant ADMIN to someone else first.', inputField('userId'));
    }
  }
  const { count } = await work.tx.roleAssignment.deleteMany({ where: { userId: user.id, role: input.role, propertyId } });
  if (count === 0) {
    refuse('NOT_FOUND', `This user does not hold ${input.role}${propertyId ? ' at that property' : ''}.`, inputField('role'));
  }
  work.audit(
    'user.roleRevoked',
    { type: 'User', id: user.id, propertyId },
    { role: input.role, propertyId },
    { role: null, propertyId: null },
  );
  // What the user may watch has shrunk: their open subscriptions end and must be opened again.
  work.revoked.userIds.push(user.id);
  return user;
}
