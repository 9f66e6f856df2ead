-- The stored allocation summed per month (decision 0042): one row per grouping,
-- currency, month, group and team with the month's days and their cents as
-- arrays, so a read of 90 days by namespace reads ~2,000 rows instead of
-- ~45,000 day cells. Rebuilt from "CostAllocation" for the months a refresh
-- touches, in the refresh's transaction; filled here from what is stored.

-- CreateTable
CREATE TABLE "CostAllocationMonth" (
    "grouping" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "month" DATE NOT NULL,
    "key" TEXT NOT NULL,
    "apart" TEXT,
    "team" TEXT NOT NULL,
    "days" INTEGER[],
    "costMinor" BIGINT[],

    CONSTRAINT "CostAllocationMonth_pkey" PRIMARY KEY ("grouping","currency","month","key","team")
);

ALTER TABLE "CostAllocationMonth" ADD CONSTRAINT "CostAllocationMonth_month_check" CHECK (extract(day FROM "month") = 1);

INSERT INTO "CostAllocationMonth" ("grouping", "currency", "month", "key", "apart", "team", "days", "costMinor")
SELECT "grouping", "currency", date_trunc('month', "day")::date, "key", "apart", "team",
       array_agg(extract(day FROM "day")::int ORDER BY "day"), array_agg("costMinor" ORDER BY "day")
FROM "CostAllocation"
GROUP BY "grouping", "currency", date_trunc('month', "day")::date, "key", "apart", "team";

-- Months whose stored allocation an input changed outside a sync or sample
-- (a service handed to another team): marked in that change's transaction,
-- re-allocated and cleared by the cost.sample job (decision 0042).
CREATE TABLE "CostAllocationStale" (
    "month" DATE NOT NULL,
    "reason" TEXT NOT NULL,
    "markedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "CostAllocationStale_pkey" PRIMARY KEY ("month")
);
