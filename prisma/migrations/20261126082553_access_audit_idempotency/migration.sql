-- CreateEnum
CREATE TYPE "Role" AS ENUM ('ADMIN', 'PROPERTY_MANAGER', 'DESK', 'VENDOR');

-- CreateEnum
CREATE TYPE "AuditSource" AS ENUM ('API', 'INTEGRATION', 'SCHEDULER');

-- AlterTable
ALTER TABLE "ApiToken" ADD COLUMN     "lastUsedAt" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "RoleAssignment" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "role" "Role" NOT NULL,
    "propertyId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RoleAssignment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" UUID NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "occurredAt" TIMESTAMPTZ(3) NOT NULL,
    "action" TEXT NOT NULL,
    "source" "AuditSource" NOT NULL,
    "actorId" UUID,
    "entityType" TEXT NOT NULL,
    "entityId" UUID NOT NULL,
    "propertyId" UUID,
    "changes" JSONB NOT NULL,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IdempotencyKey" (
    "scope" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "requestHash" TEXT NOT NULL,
    "status" INTEGER,
    "body" TEXT,
    "contentType" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IdempotencyKey_pkey" PRIMARY KEY ("scope","key")
);

-- CreateIndex
CREATE INDEX "RoleAssignment_propertyId_idx" ON "RoleAssignment"("propertyId");

-- CreateIndex
-- NULLS NOT DISTINCT: ADMIN and VENDOR rows (no property) are unique per user too.
CREATE UNIQUE INDEX "RoleAssignment_userId_role_propertyId_key" ON "RoleAssignment"("userId", "role", "propertyId") NULLS NOT DISTINCT;

-- Property roles name their property; organisation-wide ones name none.
ALTER TABLE "RoleAssignment" ADD CONSTRAINT "RoleAssignment_property_matches_role"
  CHECK (("role" IN ('PROPERTY_MANAGER', 'DESK')) = ("propertyId" IS NOT NULL));

-- CreateIndex
CREATE UNIQUE INDEX "AuditEvent_seq_key" ON "AuditEvent"("seq");

-- CreateIndex
CREATE INDEX "AuditEvent_entityId_seq_idx" ON "AuditEvent"("entityId", "seq");

-- CreateIndex
CREATE INDEX "IdempotencyKey_createdAt_idx" ON "IdempotencyKey"("createdAt");

-- AddForeignKey
ALTER TABLE "RoleAssignment" ADD CONSTRAINT "RoleAssignment_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoleAssignment" ADD CONSTRAINT "RoleAssignment_propertyId_fkey" FOREIGN KEY ("propertyId") REFERENCES "Property"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditEvent" ADD CONSTRAINT "AuditEvent_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Administrators so far were flagged on the user row; they become ADMIN role assignments.
INSERT INTO "RoleAssignment" ("id", "userId", "role")
SELECT gen_random_uuid(), "id", 'ADMIN' FROM "User" WHERE "isAdmin";

ALTER TABLE "User" DROP COLUMN "isAdmin";

-- The audit trail is append-only, whoever connects: no statement may change or remove it.
CREATE FUNCTION "audit_event_is_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'The audit trail is append-only: % is not allowed', TG_OP;
END;
$$;

CREATE TRIGGER "AuditEvent_append_only" BEFORE UPDATE OR DELETE OR TRUNCATE ON "AuditEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_event_is_append_only"();
