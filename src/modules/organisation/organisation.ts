import { z } from 'zod';
import { Prisma } from '../../generated/prisma/client.ts';
import { DEFAULT_DESK_WINDOW, MAX_DESK_WINDOW_MINUTES } from '../desk/rules.ts';
import { forbid, found, inputField, refuse } from '../../core/errors.ts';
import { email, LIMITS, parseInput, requiredText, timeZone } from '../../core/validation.ts';
import type { Work } from '../../core/unit-of-work.ts';

// Properties, companies and users: the organisation the visits and work orders live in,
// run by its administrators.

/** Refuses unless the actor administers the organisation. */
export function mustAdminister(work: Work, what: string, field: string[] | null = null): void {
  if (!work.access.changesOrganisation()) forbid(`Only an administrator can ${what}.`, field);
}

const minutes = (label: string) =>
  z
    .number()
    .int(`${label} must be a whole number of minutes.`)
    .min(0, `${label} must not be negative.`)
    .max(MAX_DESK_WINDOW_MINUTES, `${label} must be at most ${MAX_DESK_WINDOW_MINUTES} minutes (30 days).`);

const deskWindowInput = z.object({
  lookBehindMinutes: minutes('Look-behind').nullish(),
  lookAheadMinutes: minutes('Look-ahead').nullish(),
});

type DeskWindowInput = z.infer<typeof deskWindowInput>;

function deskWindowData(window: DeskWindowInput | null | undefined) {
  return {
    ...(window?.lookBehindMinutes != null && { deskLookBehindMinutes: window.lookBehindMinutes }),
    ...(window?.lookAheadMinutes != null && { deskLookAheadMinutes: window.lookAheadMinutes }),
  };
}

const createPropertyInput = z.object({
  name: requiredText('Name', LIMITS.name),
  timeZone,
  deskWindow: deskWindowInput.nullish(),
});

export async function createProperty(work: Work, input: z.input<typeof createPropertyInput>) {
  mustAdminister(work, 'create properties');
  const data = parseInput(createPropertyInput, input);
  const property = await work.tx.property.create({
    data: {
      name: data.name,
      timeZone: data.timeZone,
      deskLookBehindMinutes: DEFAULT_DESK_WINDOW.lookBehindMinutes,
      deskLookAheadMinutes: DEFAULT_DESK_WINDOW.lookAheadMinutes,
      ...deskWindowData(data.deskWindow),
      // The head of its desk event log: readers share-lock it for consistent snapshots.
      deskStream: { create: {} },
    },
  });
  work.audit('property.created', { type: 'Property', id: property.id, propertyId: property.id }, null, property);
  return property;
}

const updatePropertyInput = z.object({
  name: requiredText('Name', LIMITS.name).nullish(),
  timeZone: timeZone.nullish(),
  deskWindow: deskWindowInput.nullish(),
});

export async function updateProperty(work: Work, propertyId: string, input: z.input<typeof updatePropertyInput>) {
  const data = parseInput(updatePropertyInput, input);
  const where = { id: propertyId, AND: [work.access.propertyWhere()] };
  const before = await found(work.tx.property.findFirst({ where }), inputField('propertyId'), 'property');
  mustAdminister(work, 'change a property', inputField('propertyId'));
  const after = await work.tx.property.update({
    where: { id: propertyId },
    data: {
      ...(data.name != null && { name: data.name }),
      ...(data.timeZone != null && { timeZone: data.timeZone }),
      ...deskWindowData(data.deskWindow),
    },
  });
  work.audit('property.updated', { type: 'Property', id: propertyId, propertyId }, before, after);
  return after;
}

const createCompanyInput = z.object({
  name: requiredText('Name', LIMITS.name),
  autoCreateVisit: z.boolean().nullish(),
});

export async function createCompany(work: Work, input: z.input<typeof createCompanyInput>) {
  mustAdminister(work, 'create companies');
  const data = parseInput(createCompanyInput, input);
  const company = await work.tx.company.create({ data: { name: data.name, autoCreateVisit: data.autoCreateVisit ?? false } });
  work.audit('company.created', { type: 'Company', id: company.id }, null, company);
  return company;
}

const updateCompanyInput = z.object({
  name: requiredText('Name', LIMITS.name).nullish(),
  autoCreateVisit: z.boolean().nullish(),
});

export async function updateCompany(work: Work, companyId: string, input: z.input<typeof updateCompanyInput>) {
  const data = parseInput(updateCompanyInput, input);
  const where = { id: companyId, AND: [work.access.companyWhere()] };
  const before = await found(work.tx.company.findFirst({ where }), inputField('companyId'), 'company');
  mustAdminister(work, 'change a company', inputField('companyId'));
  const after = await work.tx.company.update({
    where: { id: companyId },
    data: {
      ...(data.name != null && { name: data.name }),
      ...(data.autoCreateVisit != null && { autoCreateVisit: data.autoCreateVisit }),
    },
  });
  work.audit('company.updated', { type: 'Company', id: companyId }, before, after);
  return after;
}

const createUserInput = z.object({
  name: requiredText('Name', LIMITS.name),
  email,
});

export async function createUser(work: Work, companyId: string | null, input: z.input<typeof createUserInput>) {
  mustAdminister(work, 'create users');
  const data = parseInput(createUserInput, input);
  const emailTaken = () =>
    refuse('CONFLICT', `A user with the email ${data.email} already exists; use another address.`, inputField('email'));
  if (companyId) await found(work.tx.company.findUnique({ where: { id: companyId } }), inputField('companyId'), 'company');
  if (await work.tx.user.findUnique({ where: { email: data.email }, select: { id: true } })) emailTaken();
  try {
    const user = await work.tx.user.create({ data: { name: data.name, email: data.email, companyId } });
    work.audit('user.created', { type: 'User', id: user.id }, null, user);
    return user;
  } catch (err) {
    // Lost a race with a concurrent creation of the same address.
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') emailTaken();
    throw err;
  }
}
