-- Identical refusals within a window are one audit row plus a count
-- (lib/audit/record-audit-event.ts): a viewer sending hundreds of refused
-- requests no longer writes hundreds of rows. AuditEvent stays append-only;
-- the count lives beside it. No foreign key to AuditEvent: one would make
-- TRUNCATE fail on the key rather than on the append-only trigger, and the
-- row it points at can never be deleted anyway.

-- CreateTable
CREATE TABLE "AuditRefusalRepeat" (
    "auditEventId" BIGINT NOT NULL,
    "key" TEXT NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 1,
    "firstAt" TIMESTAMPTZ(3) NOT NULL,
    "lastAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "AuditRefusalRepeat_pkey" PRIMARY KEY ("auditEventId")
);

-- CreateIndex
CREATE INDEX "AuditRefusalRepeat_key_lastAt_idx" ON "AuditRefusalRepeat"("key", "lastAt");
