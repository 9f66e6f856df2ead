-- Cost Management's forecast for the month (decision 0048): per scope, what the
-- Forecast API said at the last sync that asked it, and each group's part of it
-- (the scope's forecast split by the group's month-to-date share of the scope's
-- allocated cost), so budget views and /costs read it without asking Azure.

-- AlterTable
ALTER TABLE "CostSyncState" ADD COLUMN "forecastError" TEXT,
ADD COLUMN "forecastErrorAt" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "CostForecast" (
    "scope" TEXT NOT NULL,
    "month" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "currency" TEXT,
    "actualMinor" BIGINT,
    "totalMinor" BIGINT,
    "actualThrough" DATE,
    "asOf" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "CostForecast_pkey" PRIMARY KEY ("scope","month")
);

ALTER TABLE "CostForecast" ADD CONSTRAINT "CostForecast_status_check" CHECK ("status" IN ('forecast', 'none'));

-- CreateTable
CREATE TABLE "CostForecastShare" (
    "month" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "grouping" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "apart" TEXT,
    "team" TEXT NOT NULL,
    "actualMinor" BIGINT NOT NULL,
    "forecastMinor" BIGINT,

    CONSTRAINT "CostForecastShare_pkey" PRIMARY KEY ("month","scope","grouping","currency","key","team")
);
