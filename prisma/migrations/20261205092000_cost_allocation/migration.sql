-- The stored cost allocation (decision 0035): each day's cost per grouping and
-- group as a read shows it, replaced when a sync stores a month or a sample
-- adds to a day, so a read sums stored cents instead of allocating per view.
-- Empty until the first refresh: the cost sync job's hourly check backfills it
-- (CostAllocationState absent).

-- CreateTable
CREATE TABLE "CostAllocation" (
    "grouping" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "key" TEXT NOT NULL,
    "apart" TEXT,
    "team" TEXT NOT NULL,
    "costMinor" BIGINT NOT NULL,

    CONSTRAINT "CostAllocation_pkey" PRIMARY KEY ("grouping","currency","day","key","team")
);

-- CreateTable
CREATE TABLE "CostAllocationClusterDay" (
    "currency" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "clusterId" UUID NOT NULL,
    "clusterName" TEXT NOT NULL,
    "billedMinor" BIGINT NOT NULL,
    "idleMinor" BIGINT NOT NULL,
    "unsampled" BOOLEAN NOT NULL,

    CONSTRAINT "CostAllocationClusterDay_pkey" PRIMARY KEY ("currency","day","clusterId")
);

-- CreateTable
CREATE TABLE "CostAllocationState" (
    "id" INTEGER NOT NULL,
    "backfilledAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "CostAllocationState_pkey" PRIMARY KEY ("id")
);

ALTER TABLE "CostAllocation" ADD CONSTRAINT "CostAllocation_grouping_check"
  CHECK ("grouping" IN ('team', 'namespace', 'cluster', 'service'));
ALTER TABLE "CostAllocation" ADD CONSTRAINT "CostAllocation_apart_check"
  CHECK ("apart" IS NULL OR "apart" IN ('idle', 'system', 'unassigned'));
