-- CreateTable
CREATE TABLE "NamespacePolicy" (
    "environment" TEXT NOT NULL,
    "ceilings" JSONB NOT NULL,
    "maxNamespacesPerTeam" INTEGER NOT NULL,
    "allowSelfApproval" BOOLEAN NOT NULL DEFAULT false,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "NamespacePolicy_pkey" PRIMARY KEY ("environment")
);

-- CreateTable
CREATE TABLE "Namespace" (
    "id" UUID NOT NULL,
    "clusterId" UUID NOT NULL,
    "teamId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "activeName" TEXT,
    "environment" TEXT NOT NULL,
    "costCenter" TEXT NOT NULL,
    "quota" JSONB NOT NULL,
    "containerDefaults" JSONB NOT NULL,
    "status" TEXT NOT NULL,
    "statusMessage" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "drift" JSONB,
    "usage" JSONB,
    "checkedAt" TIMESTAMPTZ(3),
    "readyAt" TIMESTAMPTZ(3),
    "decommissionedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Namespace_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NamespaceRequest" (
    "id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "teamId" UUID NOT NULL,
    "clusterId" UUID NOT NULL,
    "namespaceId" UUID,
    "name" TEXT NOT NULL,
    "quota" JSONB NOT NULL,
    "containerDefaults" JSONB NOT NULL,
    "costCenter" TEXT NOT NULL,
    "justification" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "policyCheck" JSONB NOT NULL,
    "requestedById" UUID NOT NULL,
    "requestedByName" TEXT NOT NULL,
    "decidedById" UUID,
    "decidedByName" TEXT,
    "decidedAt" TIMESTAMPTZ(3),
    "decisionReason" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "NamespaceRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Notification" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "message" TEXT NOT NULL,
    "link" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "readAt" TIMESTAMPTZ(3),

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Namespace_teamId_idx" ON "Namespace"("teamId");

-- CreateIndex
CREATE INDEX "Namespace_status_idx" ON "Namespace"("status");

-- CreateIndex
CREATE UNIQUE INDEX "Namespace_clusterId_activeName_key" ON "Namespace"("clusterId", "activeName");

-- CreateIndex
CREATE INDEX "NamespaceRequest_status_createdAt_idx" ON "NamespaceRequest"("status", "createdAt");

-- CreateIndex
CREATE INDEX "NamespaceRequest_teamId_createdAt_idx" ON "NamespaceRequest"("teamId", "createdAt");

-- CreateIndex
CREATE INDEX "NamespaceRequest_namespaceId_idx" ON "NamespaceRequest"("namespaceId");

-- CreateIndex
CREATE INDEX "Notification_userId_createdAt_idx" ON "Notification"("userId", "createdAt");

-- AddForeignKey
ALTER TABLE "Namespace" ADD CONSTRAINT "Namespace_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Namespace" ADD CONSTRAINT "Namespace_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NamespaceRequest" ADD CONSTRAINT "NamespaceRequest_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NamespaceRequest" ADD CONSTRAINT "NamespaceRequest_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NamespaceRequest" ADD CONSTRAINT "NamespaceRequest_namespaceId_fkey" FOREIGN KEY ("namespaceId") REFERENCES "Namespace"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
