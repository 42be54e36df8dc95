-- CreateEnum
CREATE TYPE "ComplianceDocumentKind" AS ENUM ('GENERAL_LIABILITY_INSURANCE', 'WORKERS_COMPENSATION_INSURANCE', 'AUTO_LIABILITY_INSURANCE', 'UMBRELLA_INSURANCE', 'LICENSE', 'SAFETY_TRAINING');

-- AlterTable
ALTER TABLE "Property" ADD COLUMN     "complianceRequirements" "ComplianceDocumentKind"[] DEFAULT ARRAY[]::"ComplianceDocumentKind"[];

-- AlterTable
ALTER TABLE "Company" ADD COLUMN     "doNotDispatch" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Visit" ADD COLUMN     "complianceOverrideAt" TIMESTAMPTZ(3),
ADD COLUMN     "complianceOverrideById" UUID,
ADD COLUMN     "complianceOverrideReason" TEXT;

-- CreateTable
CREATE TABLE "ComplianceDocument" (
    "id" UUID NOT NULL,
    "companyId" UUID NOT NULL,
    "kind" "ComplianceDocumentKind" NOT NULL,
    "reference" TEXT,
    "effectiveFrom" TIMESTAMPTZ(3) NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "addedById" UUID,
    "approvedAt" TIMESTAMPTZ(3),
    "approvedById" UUID,
    "removedAt" TIMESTAMPTZ(3),
    "startAnnounced" BOOLEAN NOT NULL DEFAULT false,
    "expiryAnnounced" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ComplianceDocument_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ComplianceDocument_companyId_kind_idx" ON "ComplianceDocument"("companyId", "kind");

-- CreateIndex
CREATE INDEX "ComplianceDocument_startAnnounced_effectiveFrom_idx" ON "ComplianceDocument"("startAnnounced", "effectiveFrom");

-- CreateIndex
CREATE INDEX "ComplianceDocument_expiryAnnounced_expiresAt_idx" ON "ComplianceDocument"("expiryAnnounced", "expiresAt");

-- AddForeignKey
ALTER TABLE "ComplianceDocument" ADD CONSTRAINT "ComplianceDocument_companyId_fkey" FOREIGN KEY ("companyId") REFERENCES "Company"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Visit" ADD CONSTRAINT "Visit_complianceOverrideById_fkey" FOREIGN KEY ("complianceOverrideById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
