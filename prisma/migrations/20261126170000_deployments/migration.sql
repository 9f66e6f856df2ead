-- CreateTable
CREATE TABLE "Deployment" (
    "id" UUID NOT NULL,
    "serviceId" UUID NOT NULL,
    "namespaceId" UUID NOT NULL,
    "teamId" UUID NOT NULL,
    "requestedById" UUID,
    "requestedByName" TEXT NOT NULL,
    "revision" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "imageTag" TEXT,
    "imageDigest" TEXT,
    "image" TEXT NOT NULL,
    "replicas" INTEGER NOT NULL,
    "manifest" JSONB NOT NULL,
    "manifestYaml" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "reason" TEXT,
    "message" TEXT,
    "desiredReplicas" INTEGER NOT NULL DEFAULT 0,
    "updatedReplicas" INTEGER NOT NULL DEFAULT 0,
    "readyReplicas" INTEGER NOT NULL DEFAULT 0,
    "availableReplicas" INTEGER NOT NULL DEFAULT 0,
    "pods" JSONB,
    "events" JSONB,
    "needsApproval" BOOLEAN NOT NULL DEFAULT false,
    "approvedById" UUID,
    "approvedByName" TEXT,
    "approvedAt" TIMESTAMPTZ(3),
    "cancelledByName" TEXT,
    "appliedGeneration" INTEGER,
    "rolledBackFromId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMPTZ(3),
    "finishedAt" TIMESTAMPTZ(3),
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Deployment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Deployment_namespaceId_createdAt_idx" ON "Deployment"("namespaceId", "createdAt");

-- CreateIndex
CREATE INDEX "Deployment_status_createdAt_idx" ON "Deployment"("status", "createdAt");

-- CreateIndex
CREATE INDEX "Deployment_teamId_createdAt_idx" ON "Deployment"("teamId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Deployment_serviceId_namespaceId_revision_key" ON "Deployment"("serviceId", "namespaceId", "revision");

-- AddForeignKey
ALTER TABLE "Deployment" ADD CONSTRAINT "Deployment_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Deployment" ADD CONSTRAINT "Deployment_namespaceId_fkey" FOREIGN KEY ("namespaceId") REFERENCES "Namespace"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Deployment" ADD CONSTRAINT "Deployment_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Deployment" ADD CONSTRAINT "Deployment_requestedById_fkey" FOREIGN KEY ("requestedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Deployment" ADD CONSTRAINT "Deployment_rolledBackFromId_fkey" FOREIGN KEY ("rolledBackFromId") REFERENCES "Deployment"("id") ON DELETE SET NULL ON UPDATE CASCADE;
