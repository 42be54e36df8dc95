import { z } from 'zod';
import { Prisma, type Company, type Property, type User } from '../../generated/prisma/client.ts';
import { DEFAULT_DESK_WINDOW, MAX_DESK_WINDOW_MINUTES } from '../desk/rules.ts';
import { forbid, found, inputField, refuse } from '../../core/errors.ts';
import { email, kept, LIMITS, parseInput, requiredText, timeZone } from '../../core/validation.ts';
import type { Change, Work } from '../../core/unit-of-work.ts';
import { announceComplianceChanges } from '../compliance/announce.ts';
import { onSitePolicyInput, policyData } from '../on-site/policy.ts';
import { rescheduleOnSite } from '../on-site/reschedule.ts';

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
  lookBehindMinutes: kept('Look-behind', minutes('Look-behind')),
  lookAheadMinutes: kept('Look-ahead', minutes('Look-ahead')),
});

type DeskWindowInput = z.infer<typeof deskWindowInput>;

const deskWindowData = (window: DeskWindowInput | undefined) => ({
  deskLookBehindMinutes: window?.lookBehindMinutes,
  deskLookAheadMinutes: window?.lookAheadMinutes,
});

const createPropertyInput = z.object({
  name: requiredText('Name', LIMITS.name),
  timeZone,
  deskWindow: kept('Desk window', deskWindowInput),
});

export function createProperty(input: z.input<typeof createPropertyInput>): Change<Property> {
  const data = parseInput(createPropertyInput, input);
  return (work) => newProperty(work, data);
}

async function newProperty(work: Work, data: z.output<typeof createPropertyInput>): Promise<Property> {
  mustAdminister(work, 'create properties');
  const property = await work.tx.property.create({
    data: {
      name: data.name,
      timeZone: data.timeZone,
      deskLookBehindMinutes: data.deskWindow?.lookBehindMinutes ?? DEFAULT_DESK_WINDOW.lookBehindMinutes,
      deskLookAheadMinutes: data.deskWindow?.lookAheadMinutes ?? DEFAULT_DESK_WINDOW.lookAheadMinutes,
      // The head of its desk event log: readers share-lock it for consistent snapshots.
      deskStream: { create: {} },
    },
  });
  work.audit('property.created', { type: 'Property', id: property.id, propertyId: property.id }, null, property);
  return property;
}

const updatePropertyInput = z.object({
  name: kept('Name', requiredText('Name', LIMITS.name)),
  timeZone: kept('Time zone', timeZone),
  deskWindow: kept('Desk window', deskWindowInput),
  onSitePolicy: kept('onSitePolicy', onSitePolicyInput),
});

export function updateProperty(propertyId: string, input: z.input<typeof updatePropertyInput>): Change<Property> {
  const data = parseInput(updatePropertyInput, input);
  return (work) => changeProperty(work, propertyId, data);
}

async function changeProperty(work: Work, propertyId: string, data: z.output<typeof updatePropertyInput>): Promise<Property> {
  const field = inputField('propertyId');
  const where = { id: propertyId, AND: [work.access.propertyWhere()] };
  const before = await found(work.tx.property.findFirst({ where }), field, 'property');
  // Its managers set a property's on-site policy; the rest is the organisation's.
  const { onSitePolicy, ...organisational } = data;
  if (Object.values(organisational).some((v) => v !== undefined)) mustAdminister(work, 'change a property', field);
  if (onSitePolicy && !work.access.managesProperty(propertyId)) {
    forbid("Only this property's managers or an administrator can set its on-site policy.", field);
  }
  const after = await work.tx.property.update({
    where: { id: propertyId },
    data: {
      name: data.name,
      timeZone: data.timeZone,
      ...deskWindowData(data.deskWindow),
      ...(onSitePolicy && policyData(onSitePolicy, before, work.now)),
    },
  });
  work.audit('property.updated', { type: 'Property', id: propertyId, propertyId }, before, after);
  if (onSitePolicy || after.timeZone !== before.timeZone) await rescheduleOnSite(work, after);
  return after;
}

const createCompanyInput = z.object({
  name: requiredText('Name', LIMITS.name),
  autoCreateVisit: kept('Auto-Create Visit', z.boolean()),
});

export function createCompany(input: z.input<typeof createCompanyInput>): Change<Company> {
  const data = parseInput(createCompanyInput, input);
  return (work) => newCompany(work, data);
}

async function newCompany(work: Work, data: z.output<typeof createCompanyInput>): Promise<Company> {
  mustAdminister(work, 'create companies');
  const company = await work.tx.company.create({ data: { name: data.name, autoCreateVisit: data.autoCreateVisit ?? false } });
  work.audit('company.created', { type: 'Company', id: company.id }, null, company);
  return company;
}

const updateCompanyInput = z.object({
  name: kept('Name', requiredText('Name', LIMITS.name)),
  autoCreateVisit: kept('Auto-Create Visit', z.boolean()),
  doNotDispatch: kept('Do Not Dispatch', z.boolean()),
});

export function updateCompany(companyId: string, input: z.input<typeof updateCompanyInput>): Change<Company> {
  const data = parseInput(updateCompanyInput, input);
  return (work) => changeCompany(work, companyId, data);
}

async function changeCompany(work: Work, companyId: string, data: z.output<typeof updateCompanyInput>): Promise<Company> {
  const where = { id: companyId, AND: [work.access.companyWhere()] };
  const before = await found(work.tx.company.findFirst({ where }), inputField('companyId'), 'company');
  mustAdminister(work, 'change a company', inputField('companyId'));
  const after = await work.tx.company.update({
    where: { id: companyId },
    data: {
      name: data.name,
      autoCreateVisit: data.autoCreateVisit,
      doNotDispatch: data.doNotDispatch,
    },
  });
  work.audit('company.updated', { type: 'Company', id: companyId }, before, after);
  if (after.doNotDispatch !== before.doNotDispatch || after.name !== before.name) {
    // Desk rows show the company's compliance, which names it.
    const then = { companyName: before.name, doNotDispatch: before.doNotDispatch };
    await announceComplianceChanges(work, { companyId }, (facts) => ({ ...facts, ...then }));
  }
  return after;
}

const createUserInput = z.object({
  name: requiredText('Name', LIMITS.name),
  email,
});

export function createUser(companyId: string | null, input: z.input<typeof createUserInput>): Change<User> {
  const data = parseInput(createUserInput, input);
  return (work) => newUser(work, companyId, data);
}

async function newUser(work: Work, companyId: string | null, data: z.output<typeof createUserInput>): Promise<User> {
  mustAdminister(work, 'create users');
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
