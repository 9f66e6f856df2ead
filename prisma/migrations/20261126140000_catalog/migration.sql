-- Search uses trigram indexes (on Azure Database for PostgreSQL, allow-list
-- the pg_trgm extension in the server parameters first).
CREATE EXTENSION IF NOT EXISTS "pg_trgm";

-- CreateTable
CREATE TABLE "Service" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "displayName" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "ownerTeamId" UUID NOT NULL,
    "repositoryUrl" TEXT,
    "language" TEXT,
    "tier" TEXT NOT NULL,
    "lifecycle" TEXT NOT NULL,
    "tags" TEXT[],
    "links" JSONB NOT NULL DEFAULT '{}',
    "appInsightsRoleName" TEXT,
    "deploySpec" JSONB,
    "searchText" TEXT NOT NULL,
    "retiredAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Service_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ServiceDependency" (
    "serviceId" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "target" TEXT NOT NULL,

    CONSTRAINT "ServiceDependency_pkey" PRIMARY KEY ("serviceId","position")
);

-- CreateIndex
CREATE UNIQUE INDEX "Service_slug_key" ON "Service"("slug");

-- CreateIndex
CREATE INDEX "Service_ownerTeamId_idx" ON "Service"("ownerTeamId");

-- CreateIndex
CREATE INDEX "Service_tier_idx" ON "Service"("tier");

-- CreateIndex
CREATE INDEX "Service_lifecycle_idx" ON "Service"("lifecycle");

-- CreateIndex
CREATE INDEX "Service_language_idx" ON "Service"("language");

-- CreateIndex
CREATE INDEX "Service_displayName_idx" ON "Service"("displayName");

-- CreateIndex
CREATE INDEX "Service_tags_idx" ON "Service" USING GIN ("tags");

-- CreateIndex
CREATE INDEX "Service_searchText_idx" ON "Service" USING GIN ("searchText" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "ServiceDependency_kind_target_idx" ON "ServiceDependency"("kind", "target");

-- AddForeignKey
ALTER TABLE "Service" ADD CONSTRAINT "Service_ownerTeamId_fkey" FOREIGN KEY ("ownerTeamId") REFERENCES "Team"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ServiceDependency" ADD CONSTRAINT "ServiceDependency_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service"("id") ON DELETE CASCADE ON UPDATE CASCADE;
