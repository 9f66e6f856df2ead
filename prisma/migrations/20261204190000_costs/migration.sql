-- Cost Management: billed cost per scope, day and resource, and the sync's state per scope.

-- CreateTable
CREATE TABLE "CostRow" (
    "id" BIGSERIAL NOT NULL,
    "scope" TEXT NOT NULL,
    "date" DATE NOT NULL,
    "resourceId" TEXT NOT NULL,
    "resourceGroup" TEXT NOT NULL,
    "team" TEXT,
    "service" TEXT,
    "costMinor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "asOf" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "CostRow_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CostSyncState" (
    "scope" TEXT NOT NULL,
    "lastSyncedAt" TIMESTAMPTZ(3),
    "lastMonths" TEXT[],
    "lastError" TEXT,
    "lastErrorAt" TIMESTAMPTZ(3),
    "nextAllowedAt" TIMESTAMPTZ(3),
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "CostSyncState_pkey" PRIMARY KEY ("scope")
);

-- CreateIndex
CREATE UNIQUE INDEX "CostRow_scope_date_resourceId_key" ON "CostRow"("scope", "date", "resourceId");

-- CreateIndex
CREATE INDEX "CostRow_date_idx" ON "CostRow"("date");
