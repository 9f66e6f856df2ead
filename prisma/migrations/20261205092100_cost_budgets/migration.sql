-- Monthly cost budgets per team (issue 14 item 5, decision 0035) and the
-- thresholds each month's cost crossed, one row per team, month, kind and
-- threshold so a team is told once.

-- CreateTable
CREATE TABLE "CostBudget" (
    "teamId" UUID NOT NULL,
    "amountMinor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "actualThresholds" INTEGER[],
    "forecastThresholds" INTEGER[],
    "updatedByName" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "CostBudget_pkey" PRIMARY KEY ("teamId")
);

-- CreateTable
CREATE TABLE "CostBudgetAlert" (
    "id" BIGSERIAL NOT NULL,
    "teamId" UUID NOT NULL,
    "month" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "threshold" INTEGER NOT NULL,
    "costMinor" BIGINT NOT NULL,
    "budgetMinor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "crossedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "CostBudgetAlert_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "CostBudgetAlert_teamId_month_kind_threshold_key" ON "CostBudgetAlert"("teamId", "month", "kind", "threshold");

-- AddForeignKey
ALTER TABLE "CostBudget" ADD CONSTRAINT "CostBudget_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CostBudgetAlert" ADD CONSTRAINT "CostBudgetAlert_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "CostBudget"("teamId") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "CostBudget" ADD CONSTRAINT "CostBudget_amountMinor_check" CHECK ("amountMinor" > 0);
ALTER TABLE "CostBudgetAlert" ADD CONSTRAINT "CostBudgetAlert_kind_check" CHECK ("kind" IN ('actual', 'forecast'));
