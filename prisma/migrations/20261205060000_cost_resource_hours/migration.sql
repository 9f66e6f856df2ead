-- Requested CPU and memory hours per namespace (and per service in it) per cluster and day, for cost allocation.

-- CreateTable
CREATE TABLE "NamespaceResourceHours" (
    "clusterId" UUID NOT NULL,
    "namespace" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "teamId" UUID,
    "cpuCoreHours" DOUBLE PRECISION NOT NULL,
    "memoryGiBHours" DOUBLE PRECISION NOT NULL,
    "sampledSeconds" INTEGER NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "NamespaceResourceHours_pkey" PRIMARY KEY ("clusterId","namespace","day")
);

-- CreateTable
CREATE TABLE "ServiceResourceHours" (
    "clusterId" UUID NOT NULL,
    "namespace" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "cpuCoreHours" DOUBLE PRECISION NOT NULL,
    "memoryGiBHours" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "ServiceResourceHours_pkey" PRIMARY KEY ("clusterId","namespace","service","day")
);

-- CreateTable
CREATE TABLE "CostSampleState" (
    "id" INTEGER NOT NULL,
    "lastSampledAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "CostSampleState_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "NamespaceResourceHours_day_idx" ON "NamespaceResourceHours"("day");

-- CreateIndex
CREATE INDEX "ServiceResourceHours_day_idx" ON "ServiceResourceHours"("day");
