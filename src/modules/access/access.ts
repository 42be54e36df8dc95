import type { Prisma, Role } from '../../generated/prisma/client.ts';
import type { Actor } from '../../core/unit-of-work.ts';

// Who may see and change what, from a user's role assignments:
//   ADMIN             everything, organisation-wide;
//   PROPERTY_MANAGER  the work orders, visits and desk of one property;
//   DESK              the visits and desk of one property, and reading its work orders;
//   VENDOR            the work orders assigned to them and their own visits, and completing
//                     those work orders.
// Reads are filters (an object out of scope is one that does not exist); writes are
// checks on an object the caller can already see.

export interface Grant {
  role: Role;
  propertyId: string | null;
}

/** Matches no row: an id no row has. */
const NOBODY = '00000000-0000-0000-0000-000000000000';

export class Access {
  readonly isAdmin: boolean;
  readonly isVendor: boolean;
  /** Properties where the user is PROPERTY_MANAGER. */
  private readonly managed = new Set<string>();
  /** Properties where the user is PROPERTY_MANAGER or DESK. */
  private readonly staffed = new Set<string>();

  constructor(
    /** Null for the system itself (the desk clock), which acts as an administrator. */
    readonly userId: string | null,
    readonly grants: readonly Grant[],
    readonly companyId: string | null = null,
  ) {
    this.isAdmin = userId === null || grants.some((g) => g.role === 'ADMIN');
    this.isVendor = grants.some((g) => g.role === 'VENDOR');
    for (const { role, propertyId } of grants) {
      if (!propertyId) continue;
      this.staffed.add(propertyId);
      if (role === 'PROPERTY_MANAGER') this.managed.add(propertyId);
    }
  }

  /** Staff see the organisation's directory of users and companies. */
  private get isStaff(): boolean {
    return this.isAdmin || this.staffed.size > 0;
  }

  /**
   * Equal for two callers who see everything alike, so one result can serve both. Staff
   * rules depend only on the grants (a staff member's own grants are all ones they may
   * see anyway); a vendor's depend on who they are.
   */
  get fingerprint(): string {
    if (this.isAdmin) return 'admin';
    const grants = this.grants.map((g) => `${g.role}:${g.propertyId ?? ''}`).sort();
    return this.isVendor ? `${grants.join(',')}|${this.userId}` : grants.join(',');
  }

  // ---- reads: Prisma filters ----

  propertyWhere(): Prisma.PropertyWhereInput {
    if (this.isAdmin) return {};
    const or: Prisma.PropertyWhereInput[] = [{ id: { in: [...this.staffed] } }];
    if (this.isVendor) {
      or.push({ workOrders: { some: { assigneeId: this.userId } } }, { visits: { some: { visitorId: this.userId } } });
    }
    return { OR: or };
  }

  workOrderWhere(): Prisma.WorkOrderWhereInput {
    if (this.isAdmin) return {};
    const or: Prisma.WorkOrderWhereInput[] = [{ propertyId: { in: [...this.staffed] } }];
    if (this.isVendor) or.push({ assigneeId: this.userId });
    return { OR: or };
  }

  visitWhere(): Prisma.VisitWhereInput {
    if (this.isAdmin) return {};
    const or: Prisma.VisitWhereInput[] = [{ propertyId: { in: [...this.staffed] } }];
    if (this.isVendor) or.push({ visitorId: this.userId });
    return { OR: or };
  }

  userWhere(): Prisma.UserWhereInput {
    return this.isStaff ? {} : { id: this.userId ?? NOBODY };
  }

  companyWhere(): Prisma.CompanyWhereInput {
    return this.isStaff ? {} : { id: this.companyId ?? NOBODY };
  }

  /** Audit entries outside `auditEvents` (administrators): the histories of visits one may read. */
  auditWhere(): Prisma.AuditEventWhereInput {
    if (this.isAdmin) return {};
    return { entityType: 'Visit', propertyId: { in: [...this.staffed] } };
  }

  /** Who is on site: the visits of the properties one staffs. */
  onSiteWhere(): Prisma.VisitWhereInput {
    return this.isAdmin ? {} : { propertyId: { in: [...this.staffed] } };
  }

  /** Webhook endpoints and their deliveries: administrators only. */
  webhookWhere(): { id?: string } {
    return this.isAdmin ? {} : { id: NOBODY };
  }

  /** Evacuations: those of the properties one staffs. */
  evacuationWhere(): Prisma.EvacuationWhereInput {
    return this.isAdmin ? {} : { propertyId: { in: [...this.staffed] } };
  }

  /** Compliance documents on file: those of the companies one sees. */
  complianceDocumentWhere(): Prisma.ComplianceDocumentWhereInput {
    return this.isStaff ? { removedAt: null } : { removedAt: null, companyId: this.companyId ?? NOBODY };
  }

  apiTokenWhere(): Prisma.ApiTokenWhereInput {
    return this.isAdmin ? {} : { userId: this.userId ?? NOBODY };
  }

  // ---- reads: checks on loaded rows ----

  seesWorkOrder(wo: { propertyId: string; assigneeId: string | null }): boolean {
    return this.isAdmin || this.staffed.has(wo.propertyId) || (this.isVendor && wo.assigneeId === this.userId);
  }

  seesVisit(visit: { propertyId: string; visitorId: string | null }): boolean {
    return this.isAdmin || this.staffed.has(visit.propertyId) || (this.isVendor && visit.visitorId === this.userId);
  }

  /** The role assignments of `userId` this caller may see: all for administrators and oneself. */
  seesGrant(userId: string, grant: Grant): boolean {
    if (this.isAdmin || userId === this.userId) return true;
    return this.isStaff && (grant.propertyId === null || this.staffed.has(grant.propertyId));
  }

  // ---- writes ----

  changesOrganisation(): boolean {
    return this.isAdmin;
  }

  /** A property's own rules (its compliance requirements, letting a non-compliant visitor in): its managers. */
  managesProperty(propertyId: string): boolean {
    return this.isAdmin || this.managed.has(propertyId);
  }

  changesWorkOrdersOf(propertyId: string): boolean {
    return this.managesProperty(propertyId);
  }

  /**
   * Companies are an organisation-wide directory: administrators and the managers of any
   * property add, approve and remove the compliance documents of any company.
   */
  managesCompliance(): boolean {
    return this.isAdmin || this.managed.size > 0;
  }

  /** A vendor adds its own company's documents, which then await approval. */
  addsDocumentsFor(companyId: string): boolean {
    return this.managesCompliance() || (this.isVendor && this.companyId === companyId);
  }

  completes(wo: { propertyId: string; assigneeId: string | null }): boolean {
    return this.changesWorkOrdersOf(wo.propertyId) || (this.isVendor && wo.assigneeId === this.userId);
  }

  /** Visits and the desk of a property: its managers and its desk staff. */
  worksDeskOf(propertyId: string): boolean {
    return this.isAdmin || this.staffed.has(propertyId);
  }
}

/** The system acting on its own (the desk clock): every right, no user. */
const SYSTEM_ACCESS = new Access(null, []);

export const SYSTEM: Actor = { userId: null, access: SYSTEM_ACCESS };
