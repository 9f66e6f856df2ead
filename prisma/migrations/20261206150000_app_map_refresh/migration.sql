-- How the application map's last refresh went (one row, id 'map'): a
-- refresh that fails (a layout past its bound, the database) keeps the last
-- snapshots, and /map says since when and why instead of only showing an
-- older "built" time.

-- CreateTable
CREATE TABLE "AppMapRefresh" (
    "id" TEXT NOT NULL,
    "lastAttemptAt" TIMESTAMPTZ(3) NOT NULL,
    "lastSuccessAt" TIMESTAMPTZ(3),
    "failingSince" TIMESTAMPTZ(3),
    "lastError" TEXT,

    CONSTRAINT "AppMapRefresh_pkey" PRIMARY KEY ("id")
);
