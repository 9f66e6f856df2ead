-- CreateTable
CREATE TABLE "PipelineIdentity" (
    "id" UUID NOT NULL,
    "clientId" TEXT NOT NULL,
    "objectId" TEXT,
    "displayName" TEXT NOT NULL,
    "teamIds" UUID[],
    "createdById" UUID,
    "createdByName" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "lastUsedAt" TIMESTAMPTZ(3),
    "revokedAt" TIMESTAMPTZ(3),
    "revokedByName" TEXT,

    CONSTRAINT "PipelineIdentity_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "PipelineIdentity_clientId_key" ON "PipelineIdentity"("clientId");
