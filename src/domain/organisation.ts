import { z } from 'zod';
import { Prisma } from '../generated/prisma/client.ts';
import { DEFAULT_DESK_WINDOW, MAX_DESK_WINDOW_MINUTES } from './desk.ts';
import { inputField, refuse } from './errors.ts';
import { email, LIMITS, parseInput, requiredText, timeZone } from './validation.ts';
import { found, type Work } from './unit-of-work.ts';

// Properties, companies and users: the organisation the visits and work orders live in.

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
  const data = parseInput(createPropertyInput, input);
  return work.tx.property.create({
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
}

const updatePropertyInput = z.object({
  name: requiredText('Name', LIMITS.name).nullish(),
  timeZone: timeZone.nullish(),
  deskWindow: deskWindowInput.nullish(),
});

export async function updateProperty(work: Work, propertyId: string, input: z.input<typeof updatePropertyInput>) {
  const data = parseInput(updatePropertyInput, input);
  await found(work.tx.property.findUnique({ where: { id: propertyId } }), inputField('propertyId'), 'property');
  return work.tx.property.update({
    where: { id: propertyId },
    data: {
      ...(data.name != null && { name: data.name }),
      ...(data.timeZone != null && { timeZone: data.timeZone }),
      ...deskWindowData(data.deskWindow),
    },
  });
}

const createCompanyInput = z.object({
  name: requiredText('Name', LIMITS.name),
  autoCreateVisit: z.boolean().nullish(),
});

export async function createCompany(work: Work, input: z.input<typeof createCompanyInput>) {
  const data = parseInput(createCompanyInput, input);
  return work.tx.company.create({ data: { name: data.name, autoCreateVisit: data.autoCreateVisit ?? false } });
}

const updateCompanyInput = z.object({
  name: requiredText('Name', LIMITS.name).nullish(),
  autoCreateVisit: z.boolean().nullish(),
});

export async function updateCompany(work: Work, companyId: string, input: z.input<typeof updateCompanyInput>) {
  const data = parseInput(updateCompanyInput, input);
  await found(work.tx.company.findUnique({ where: { id: companyId } }), inputField('companyId'), 'company');
  return work.tx.company.update({
    where: { id: companyId },
    data: {
      ...(data.name != null && { name: data.name }),
      ...(data.autoCreateVisit != null && { autoCreateVisit: data.autoCreateVisit }),
    },
  });
}

const createUserInput = z.object({
  name: requiredText('Name', LIMITS.name),
  email,
});

export async function createUser(work: Work, companyId: string | null, input: z.input<typeof createUserInput>) {
  const data = parseInput(createUserInput, input);
  const emailTaken = () =>
    refuse('CONFLICT', `A user with the email ${data.email} already exists; use another address.`, inputField('email'));
  if (companyId) await found(work.tx.company.findUnique({ where: { id: companyId } }), inputField('companyId'), 'company');
  if (await work.tx.user.findUnique({ where: { email: data.email }, select: { id: true } })) emailTaken();
  try {
    return await work.tx.user.create({ data: { name: data.name, email: data.email, companyId } });
  } catch (err) {
    // Lost a race with a concurrent creation of the same address.
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') emailTaken();
    throw err;
  }
}
