-- DropIndex
DROP INDEX "Visit_propertyId_status_expectedArrival_id_idx";

-- CreateIndex
CREATE INDEX "Visit_propertyId_status_inDeskWindow_expectedArrival_id_idx" ON "Visit"("propertyId", "status", "inDeskWindow", "expectedArrival", "id");

