-- Visits that exist before this migration start outside the desk window; the desk clock
-- announces those inside it (VISIT_ADDED) on its first pass.

-- CreateEnum
CREATE TYPE "DeskEventKind" AS ENUM ('VISIT_ADDED', 'VISIT_UPDATED', 'VISIT_CHECKED_IN', 'VISIT_CHECKED_OUT', 'VISIT_REMOVED');

-- AlterTable
ALTER TABLE "Visit" ADD COLUMN     "inDeskWindow" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "DeskStream" (
    "propertyId" UUID NOT NULL,
    "lastSeq" INTEGER NOT NULL DEFAULT 0,
    "prunedThrough" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "DeskStream_pkey" PRIMARY KEY ("propertyId")
);

-- CreateTable
CREATE TABLE "DeskEvent" (
    "propertyId" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "kind" "DeskEventKind" NOT NULL,
    "visitId" UUID NOT NULL,
    "occurredAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "DeskEvent_pkey" PRIMARY KEY ("propertyId","seq")
);

-- CreateIndex
CREATE INDEX "DeskEvent_occurredAt_idx" ON "DeskEvent"("occurredAt");

-- CreateIndex
CREATE INDEX "DeskEvent_visitId_idx" ON "DeskEvent"("visitId");

-- CreateIndex
CREATE INDEX "Visit_status_inDeskWindow_expectedArrival_idx" ON "Visit"("status", "inDeskWindow", "expectedArrival");

-- AddForeignKey
ALTER TABLE "DeskStream" ADD CONSTRAINT "DeskStream_propertyId_fkey" FOREIGN KEY ("propertyId") REFERENCES "Property"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeskEvent" ADD CONSTRAINT "DeskEvent_propertyId_fkey" FOREIGN KEY ("propertyId") REFERENCES "Property"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeskEvent" ADD CONSTRAINT "DeskEvent_visitId_fkey" FOREIGN KEY ("visitId") REFERENCES "Visit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Every property has the head of its desk log from the start.
INSERT INTO "DeskStream" ("propertyId") SELECT "id" FROM "Property" ON CONFLICT DO NOTHING;
