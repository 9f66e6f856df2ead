-- Application map: each workspace's last edge rows per window, and the map
-- snapshot per window and environment with its stored layout.

-- CreateTable
CREATE TABLE "AppMapEdges" (
    "workspaceId" UUID NOT NULL,
    "window" TEXT NOT NULL,
    "rows" JSONB NOT NULL,
    "fetchedAt" TIMESTAMPTZ(3),
    "lastError" TEXT,
    "failedAt" TIMESTAMPTZ(3),

    CONSTRAINT "AppMapEdges_pkey" PRIMARY KEY ("workspaceId","window")
);

-- CreateTable
CREATE TABLE "AppMapSnapshot" (
    "window" TEXT NOT NULL,
    "environment" TEXT NOT NULL,
    "nodes" JSONB NOT NULL,
    "edges" JSONB NOT NULL,
    "notSeen" JSONB NOT NULL,
    "sources" JSONB NOT NULL,
    "topologyKey" TEXT NOT NULL,
    "positions" JSONB NOT NULL,
    "layoutMethod" TEXT NOT NULL,
    "laidOutAt" TIMESTAMPTZ(3) NOT NULL,
    "builtAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "AppMapSnapshot_pkey" PRIMARY KEY ("window","environment")
);
