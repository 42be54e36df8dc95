-- AlterTable
ALTER TABLE "Evacuation" ADD COLUMN     "number" INTEGER NOT NULL DEFAULT 0;

-- Number the evacuations already there, per property, in the order they started.
UPDATE "Evacuation" e SET "number" = n."rank"
FROM (SELECT "id", row_number() OVER (PARTITION BY "propertyId" ORDER BY "startedAt", "id") AS "rank" FROM "Evacuation") n
WHERE e."id" = n."id";

-- CreateIndex
CREATE UNIQUE INDEX "Evacuation_propertyId_number_key" ON "Evacuation"("propertyId", "number");
