-- POST /api/v1/deployments takes an Idempotency-Key (decision 0039): one
-- row per caller and key with the hash of the body and the first answer,
-- written in the transaction that creates the deployment. Kept 24 h.

-- CreateTable
CREATE TABLE "DeploymentIdempotencyKey" (
    "scope" TEXT NOT NULL,
    "key" VARCHAR(255) NOT NULL,
    "requestHash" TEXT NOT NULL,
    "deploymentId" UUID NOT NULL,
    "responseStatus" INTEGER NOT NULL,
    "responseBody" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "DeploymentIdempotencyKey_pkey" PRIMARY KEY ("scope","key")
);

-- CreateIndex
CREATE INDEX "DeploymentIdempotencyKey_expiresAt_idx" ON "DeploymentIdempotencyKey"("expiresAt");

-- AddForeignKey
ALTER TABLE "DeploymentIdempotencyKey" ADD CONSTRAINT "DeploymentIdempotencyKey_deploymentId_fkey" FOREIGN KEY ("deploymentId") REFERENCES "Deployment"("id") ON DELETE CASCADE ON UPDATE CASCADE;
