import { z } from 'zod';
import type { ComplianceDocument, ComplianceDocumentKind, Property } from '../../generated/prisma/client.ts';
import { forbid, found, inputField, refuse } from '../../core/errors.ts';
import type { Change, Work } from '../../core/unit-of-work.ts';
import { LIMITS, optionalText, parseInput } from '../../core/validation.ts';
import { announceComplianceChanges } from './announce.ts';
import { KIND_NAMES, type ComplianceFacts } from './rules.ts';

// Compliance documents and requirements. Administrators and property managers add (approved
// at once), approve and remove the documents of any company; a vendor adds its own company's,
// which wait for approval. A property's managers say which kinds its vendors must hold.

export const DOCUMENT_KINDS = Object.keys(KIND_NAMES) as ComplianceDocumentKind[];

const kind = z.enum(DOCUMENT_KINDS as [ComplianceDocumentKind, ...ComplianceDocumentKind[]]);

const addInput = z
  .object({
    kind,
    reference: optionalText('Reference', LIMITS.name),
    effectiveFrom: z.date(),
    expiresAt: z.date(),
  })
  .refine((d) => d.expiresAt > d.effectiveFrom, {
    message: 'expiresAt must be later than effectiveFrom.',
    path: ['expiresAt'],
  });

export interface AddDocument extends z.input<typeof addInput> {
  companyId: string;
}

/** Whether the desk clock still has to announce a document's start and expiry, as of `now`. */
const announcedAsOf = (doc: { effectiveFrom: Date; expiresAt: Date }, now: Date) => ({
  startAnnounced: doc.effectiveFrom <= now,
  expiryAnnounced: doc.expiresAt <= now,
});

const documentEntity = (doc: ComplianceDocument) => ({ type: 'ComplianceDocument' as const, id: doc.id });

export function addComplianceDocument(input: AddDocument): Change<ComplianceDocument> {
  const data = parseInput(addInput, input);
  return (work) => add(work, input.companyId, data);
}

async function add(work: Work, companyId: string, data: z.output<typeof addInput>): Promise<ComplianceDocument> {
  const field = inputField('companyId');
  await found(work.tx.company.findFirst({ where: { id: companyId, AND: [work.access.companyWhere()] } }), field, 'company');
  if (!work.access.addsDocumentsFor(companyId)) {
    forbid("Your role does not include adding this company's documents; ask a property manager or an administrator.", field);
  }
  const approved = work.access.managesCompliance();
  const doc = await work.tx.complianceDocument.create({
    data: {
      companyId,
      kind: data.kind,
      reference: data.reference ?? null,
      effectiveFrom: data.effectiveFrom,
      expiresAt: data.expiresAt,
      addedById: work.actor.userId,
      approvedAt: approved ? work.now : null,
      approvedById: approved ? work.actor.userId : null,
      ...announcedAsOf(data, work.now),
      createdAt: work.now,
    },
  });
  work.audit('complianceDocument.added', documentEntity(doc), null, doc);
  // A pending document changes what the desk says too ("awaits approval").
  await announceComplianceChanges(work, { companyId }, without(doc.id));
  return doc;
}

/** Locks a document on file that the actor sees, and checks they manage compliance. */
async function lockedDocument(work: Work, documentId: string): Promise<ComplianceDocument> {
  const field = inputField('complianceDocumentId');
  const where = { id: documentId, AND: [work.access.complianceDocumentWhere()] };
  const visible = await found(
    work.tx.complianceDocument.findFirst({ where, select: { id: true } }),
    field,
    'compliance document',
  );
  if (!work.access.managesCompliance()) {
    forbid('Only a property manager or an administrator can approve or remove compliance documents.', field);
  }
  await work.tx.$executeRaw`SELECT 1 FROM "ComplianceDocument" WHERE "id" = ${visible.id}::uuid FOR UPDATE`;
  const doc = await work.tx.complianceDocument.findUniqueOrThrow({ where: { id: visible.id } });
  if (doc.removedAt) refuse('NOT_FOUND', 'No compliance document exists with this id; check the id and try again.', field);
  return doc;
}

export function approveComplianceDocument(documentId: string): Change<ComplianceDocument> {
  return (work) => approve(work, documentId);
}

async function approve(work: Work, documentId: string): Promise<ComplianceDocument> {
  const before = await lockedDocument(work, documentId);
  // Approving twice changes nothing: the first approval stands.
  if (before.approvedAt) return before;
  const after = await work.tx.complianceDocument.update({
    where: { id: before.id },
    data: { approvedAt: work.now, approvedById: work.actor.userId, ...announcedAsOf(before, work.now) },
  });
  work.audit('complianceDocument.approved', documentEntity(after), before, after);
  await announceComplianceChanges(work, { companyId: after.companyId }, unapproved(after.id));
  return after;
}

export function removeComplianceDocument(documentId: string): Change<{ removedComplianceDocumentId: string }> {
  return (work) => remove(work, documentId);
}

async function remove(work: Work, documentId: string): Promise<{ removedComplianceDocumentId: string }> {
  const before = await lockedDocument(work, documentId);
  const after = await work.tx.complianceDocument.update({ where: { id: before.id }, data: { removedAt: work.now } });
  work.audit('complianceDocument.removed', documentEntity(after), before, after);
  await announceComplianceChanges(work, { companyId: after.companyId }, restored(after.id));
  return { removedComplianceDocumentId: after.id };
}

// How the facts of a visit looked before each change (its facts are read after it).

const without =
  (id: string) =>
  (facts: ComplianceFacts): ComplianceFacts => ({ ...facts, documents: facts.documents.filter((d) => d.id !== id) });

const unapproved =
  (id: string) =>
  (facts: ComplianceFacts): ComplianceFacts => ({
    ...facts,
    documents: facts.documents.map((d) => (d.id === id ? { ...d, approvedAt: null } : d)),
  });

const restored =
  (id: string) =>
  (facts: ComplianceFacts): ComplianceFacts => ({
    ...facts,
    documents: facts.documents.map((d) => (d.id === id ? { ...d, removedAt: null } : d)),
  });

const requirementsInput = z.object({
  kinds: z.array(kind).superRefine((kinds, ctx) => {
    kinds.forEach((k, i) => {
      if (kinds.indexOf(k) !== i)
        ctx.addIssue({ code: 'custom', message: `kinds lists ${k} twice; list each kind once.`, path: [i] });
    });
  }),
});

export function setComplianceRequirements(propertyId: string, input: z.input<typeof requirementsInput>): Change<Property> {
  const data = parseInput(requirementsInput, input);
  return (work) => setRequirements(work, propertyId, data.kinds);
}

async function setRequirements(work: Work, propertyId: string, kinds: ComplianceDocumentKind[]): Promise<Property> {
  const field = inputField('propertyId');
  const where = { id: propertyId, AND: [work.access.propertyWhere()] };
  const before = await found(work.tx.property.findFirst({ where }), field, 'property');
  if (!work.access.managesProperty(propertyId)) {
    forbid("Only this property's managers or an administrator can set its compliance requirements.", field);
  }
  const after = await work.tx.property.update({ where: { id: propertyId }, data: { complianceRequirements: kinds } });
  work.audit('property.complianceRequirementsSet', { type: 'Property', id: propertyId, propertyId }, before, after);
  const previous = before.complianceRequirements;
  await announceComplianceChanges(work, { propertyId }, (facts) => ({ ...facts, requirements: previous }));
  return after;
}
