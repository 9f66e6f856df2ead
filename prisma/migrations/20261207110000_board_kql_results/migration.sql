-- The last run of each board's KQL tile (decision 0046): its capped result or
-- its error, written by the health poller, read by the boards' snapshots.

-- CreateTable
CREATE TABLE "BoardKqlResult" (
    "boardId" UUID NOT NULL,
    "tileId" TEXT NOT NULL,
    "queryHash" TEXT NOT NULL,
    "columns" JSONB NOT NULL DEFAULT '[]',
    "rows" JSONB NOT NULL DEFAULT '[]',
    "truncated" BOOLEAN NOT NULL DEFAULT false,
    "fetchedAt" TIMESTAMPTZ(3),
    "error" TEXT,
    "ranAt" TIMESTAMPTZ(3) NOT NULL,
    "nextRunAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "BoardKqlResult_pkey" PRIMARY KEY ("boardId","tileId")
);

-- AddForeignKey
ALTER TABLE "BoardKqlResult" ADD CONSTRAINT "BoardKqlResult_boardId_fkey" FOREIGN KEY ("boardId") REFERENCES "Board"("id") ON DELETE CASCADE ON UPDATE CASCADE;
