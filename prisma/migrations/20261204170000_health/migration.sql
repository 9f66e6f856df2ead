-- Health: Log Analytics workspaces and App Insights components discovered through ARM,
-- per-service health snapshots, per-minute samples, transitions, and thresholds per tier.

-- CreateTable
CREATE TABLE "TelemetryWorkspace" (
    "id" UUID NOT NULL,
    "armId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "subscriptionId" TEXT NOT NULL,
    "resourceGroup" TEXT NOT NULL,
    "location" TEXT NOT NULL,
    "lastPolledAt" TIMESTAMPTZ(3),
    "lastSuccessAt" TIMESTAMPTZ(3),
    "lastError" TEXT,
    "nextPollAt" TIMESTAMPTZ(3),
    "failures" INTEGER NOT NULL DEFAULT 0,
    "missingSince" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "TelemetryWorkspace_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TelemetryComponent" (
    "id" UUID NOT NULL,
    "armId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "appId" TEXT NOT NULL,
    "workspaceId" UUID NOT NULL,
    "environment" TEXT,
    "missingSince" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "TelemetryComponent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ServiceHealth" (
    "serviceId" UUID NOT NULL,
    "namespaceId" UUID NOT NULL,
    "environment" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "reasons" JSONB NOT NULL DEFAULT '[]',
    "stateSince" TIMESTAMPTZ(3) NOT NULL,
    "kubernetes" JSONB,
    "telemetry" JSONB,
    "evaluatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ServiceHealth_pkey" PRIMARY KEY ("serviceId","namespaceId"),
    CONSTRAINT "ServiceHealth_state_check" CHECK ("state" IN ('healthy', 'degraded', 'unhealthy', 'unknown'))
);

-- CreateTable
CREATE TABLE "HealthSample" (
    "serviceId" UUID NOT NULL,
    "namespaceId" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "resolution" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "requests" DOUBLE PRECISION,
    "failed" DOUBLE PRECISION,
    "failureRatePct" DOUBLE PRECISION,
    "p95DurationMs" DOUBLE PRECISION,
    "availabilityPct" DOUBLE PRECISION,
    "readyReplicas" INTEGER,
    "desiredReplicas" INTEGER,

    CONSTRAINT "HealthSample_pkey" PRIMARY KEY ("serviceId","namespaceId","at"),
    CONSTRAINT "HealthSample_resolution_check" CHECK ("resolution" IN ('minute', 'hour')),
    CONSTRAINT "HealthSample_state_check" CHECK ("state" IN ('healthy', 'degraded', 'unhealthy', 'unknown'))
);

-- CreateTable
CREATE TABLE "HealthTransition" (
    "id" UUID NOT NULL,
    "serviceId" UUID NOT NULL,
    "namespaceId" UUID NOT NULL,
    "fromState" TEXT,
    "toState" TEXT NOT NULL,
    "reasons" JSONB NOT NULL DEFAULT '[]',
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "HealthTransition_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "HealthTransition_state_check" CHECK ("toState" IN ('healthy', 'degraded', 'unhealthy', 'unknown') AND ("fromState" IS NULL OR "fromState" IN ('healthy', 'degraded', 'unhealthy', 'unknown')))
);

-- CreateTable
CREATE TABLE "HealthThresholds" (
    "tier" TEXT NOT NULL,
    "thresholds" JSONB NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "HealthThresholds_pkey" PRIMARY KEY ("tier")
);

-- CreateIndex
CREATE UNIQUE INDEX "TelemetryWorkspace_armId_key" ON "TelemetryWorkspace"("armId");
CREATE UNIQUE INDEX "TelemetryComponent_armId_key" ON "TelemetryComponent"("armId");
CREATE INDEX "TelemetryComponent_workspaceId_idx" ON "TelemetryComponent"("workspaceId");
CREATE INDEX "ServiceHealth_state_idx" ON "ServiceHealth"("state");
CREATE INDEX "ServiceHealth_environment_idx" ON "ServiceHealth"("environment");
CREATE INDEX "HealthSample_at_idx" ON "HealthSample"("at");
CREATE INDEX "HealthTransition_serviceId_namespaceId_at_idx" ON "HealthTransition"("serviceId", "namespaceId", "at");
CREATE INDEX "HealthTransition_at_idx" ON "HealthTransition"("at");

-- AddForeignKey
ALTER TABLE "TelemetryComponent" ADD CONSTRAINT "TelemetryComponent_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "TelemetryWorkspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ServiceHealth" ADD CONSTRAINT "ServiceHealth_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ServiceHealth" ADD CONSTRAINT "ServiceHealth_namespaceId_fkey" FOREIGN KEY ("namespaceId") REFERENCES "Namespace"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "HealthSample" ADD CONSTRAINT "HealthSample_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "HealthSample" ADD CONSTRAINT "HealthSample_namespaceId_fkey" FOREIGN KEY ("namespaceId") REFERENCES "Namespace"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "HealthTransition" ADD CONSTRAINT "HealthTransition_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "HealthTransition" ADD CONSTRAINT "HealthTransition_namespaceId_fkey" FOREIGN KEY ("namespaceId") REFERENCES "Namespace"("id") ON DELETE CASCADE ON UPDATE CASCADE;
