-- CreateTable
CREATE TABLE "Cluster" (
    "id" UUID NOT NULL,
    "armId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "subscriptionId" TEXT NOT NULL,
    "resourceGroup" TEXT NOT NULL,
    "location" TEXT NOT NULL,
    "kubernetesVersion" TEXT,
    "environment" TEXT,
    "reachable" BOOLEAN,
    "lastError" TEXT,
    "lastCheckedAt" TIMESTAMPTZ(3),
    "missingSince" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Cluster_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Cluster_armId_key" ON "Cluster"("armId");

-- CreateIndex
CREATE INDEX "Cluster_name_idx" ON "Cluster"("name");
