-- The rule an admin chooses for idle capacity and system namespaces' cost
-- (issue 14 item 3, decision 0058): shared by requests (proportional), shared
-- evenly among workload namespaces (even), or shown apart. One row, absent
-- until an admin first changes it: no row is apart and apart, the rule
-- Wharf allocated with before.

-- CreateTable
CREATE TABLE "CostAllocationSetting" (
    "id" INTEGER NOT NULL,
    "idle" TEXT NOT NULL,
    "system" TEXT NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "updatedByName" TEXT NOT NULL,

    CONSTRAINT "CostAllocationSetting_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "CostAllocationSetting_one_row" CHECK ("id" = 1),
    CONSTRAINT "CostAllocationSetting_idle_check" CHECK ("idle" IN ('proportional', 'even', 'apart')),
    CONSTRAINT "CostAllocationSetting_system_check" CHECK ("system" IN ('proportional', 'even', 'apart'))
);
