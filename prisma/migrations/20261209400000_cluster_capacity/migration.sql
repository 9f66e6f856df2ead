-- Node capacity and system namespaces for cost allocation (issue 14 item 3,
-- decision 0056). The namespace reconcile stores each cluster's nodes'
-- allocatable CPU and memory and the requests of its system namespaces'
-- pods in "ClusterCapacity"; the resource-hour sample adds them per day to
-- "ClusterCapacityHours" (and the system namespaces to
-- "NamespaceResourceHours", with no team). A stored cluster day says
-- whether its capacity was sampled: days before this migration were not.

-- CreateTable
CREATE TABLE "ClusterCapacity" (
    "clusterId" UUID NOT NULL,
    "nodes" INTEGER NOT NULL,
    "cpuMillicores" BIGINT NOT NULL,
    "memoryBytes" BIGINT NOT NULL,
    "systemRequests" JSONB NOT NULL,
    "checkedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ClusterCapacity_pkey" PRIMARY KEY ("clusterId")
);

-- CreateTable
CREATE TABLE "ClusterCapacityHours" (
    "clusterId" UUID NOT NULL,
    "day" DATE NOT NULL,
    "cpuCoreHours" DOUBLE PRECISION NOT NULL,
    "memoryGiBHours" DOUBLE PRECISION NOT NULL,
    "sampledSeconds" INTEGER NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ClusterCapacityHours_pkey" PRIMARY KEY ("clusterId","day")
);

-- CreateIndex
CREATE INDEX "ClusterCapacityHours_day_idx" ON "ClusterCapacityHours"("day");

-- AlterTable
ALTER TABLE "CostAllocationClusterDay" ADD COLUMN "capacitySampled" BOOLEAN NOT NULL DEFAULT false;
