-- CreateEnum
CREATE TYPE "AccountedForHow" AS ENUM ('MARKED', 'CHECKED_OUT');

-- CreateEnum
CREATE TYPE "EvacuationEventKind" AS ENUM ('STARTED', 'PERSON_ADDED', 'ACCOUNTED_FOR', 'ENDED');

-- CreateTable
CREATE TABLE "Evacuation" (
    "id" UUID NOT NULL,
    "propertyId" UUID NOT NULL,
    "startedAt" TIMESTAMPTZ(3) NOT NULL,
    "startedById" UUID,
    "endedAt" TIMESTAMPTZ(3),
    "endedById" UUID,
    "lastSeq" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "Evacuation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EvacuationPerson" (
    "evacuationId" UUID NOT NULL,
    "visitId" UUID NOT NULL,
    "addedAt" TIMESTAMPTZ(3) NOT NULL,
    "accountedForAt" TIMESTAMPTZ(3),
    "accountedForHow" "AccountedForHow",
    "accountedForById" UUID,

    CONSTRAINT "EvacuationPerson_pkey" PRIMARY KEY ("evacuationId","visitId")
);

-- CreateTable
CREATE TABLE "EvacuationEvent" (
    "evacuationId" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "kind" "EvacuationEventKind" NOT NULL,
    "visitId" UUID,
    "occurredAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "EvacuationEvent_pkey" PRIMARY KEY ("evacuationId","seq")
);

-- CreateIndex
CREATE INDEX "Evacuation_propertyId_endedAt_idx" ON "Evacuation"("propertyId", "endedAt");

-- CreateIndex
CREATE INDEX "EvacuationPerson_visitId_idx" ON "EvacuationPerson"("visitId");

-- AddForeignKey
ALTER TABLE "Evacuation" ADD CONSTRAINT "Evacuation_propertyId_fkey" FOREIGN KEY ("propertyId") REFERENCES "Property"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Evacuation" ADD CONSTRAINT "Evacuation_startedById_fkey" FOREIGN KEY ("startedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Evacuation" ADD CONSTRAINT "Evacuation_endedById_fkey" FOREIGN KEY ("endedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EvacuationPerson" ADD CONSTRAINT "EvacuationPerson_evacuationId_fkey" FOREIGN KEY ("evacuationId") REFERENCES "Evacuation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EvacuationPerson" ADD CONSTRAINT "EvacuationPerson_visitId_fkey" FOREIGN KEY ("visitId") REFERENCES "Visit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EvacuationPerson" ADD CONSTRAINT "EvacuationPerson_accountedForById_fkey" FOREIGN KEY ("accountedForById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EvacuationEvent" ADD CONSTRAINT "EvacuationEvent_evacuationId_fkey" FOREIGN KEY ("evacuationId") REFERENCES "Evacuation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
