-- AlterEnum
ALTER TYPE "VisitStatus" ADD VALUE 'NO_SHOW';

-- AlterEnum
ALTER TYPE "CheckOutReason" ADD VALUE 'AUTOMATIC';

-- AlterEnum
ALTER TYPE "DeskEventKind" ADD VALUE 'VISIT_OVERDUE';

-- AlterTable
ALTER TABLE "Property" ADD COLUMN     "autoCheckOutDailyAt" TEXT,
ADD COLUMN     "autoCheckOutHoursAfterDeparture" INTEGER,
ADD COLUMN     "autoCheckOutSince" TIMESTAMPTZ(3),
ADD COLUMN     "noShowAfterMinutes" INTEGER NOT NULL DEFAULT 240,
ADD COLUMN     "overdueAfterMinutes" INTEGER NOT NULL DEFAULT 30;

-- AlterTable
ALTER TABLE "Visit" ADD COLUMN     "checkOutDueAt" TIMESTAMPTZ(3),
ADD COLUMN     "noShowAt" TIMESTAMPTZ(3),
ADD COLUMN     "overdueAnnounced" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "overdueAt" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "Visit_companyId_status_idx" ON "Visit"("companyId", "status");

-- CreateIndex
CREATE INDEX "Visit_status_expectedArrival_idx" ON "Visit"("status", "expectedArrival");

-- CreateIndex
CREATE INDEX "Visit_status_checkOutDueAt_idx" ON "Visit"("status", "checkOutDueAt");

-- CreateIndex
CREATE INDEX "Visit_status_overdueAnnounced_overdueAt_idx" ON "Visit"("status", "overdueAnnounced", "overdueAt");
