-- Statuses the database knows: every status, kind and outcome column takes
-- only the values the code names (lib/status-checks.test.ts holds the lists
-- together). And a namespace records when the worker gave up on it, so
-- "may this be retried" no longer reads the status message's text.

-- AlterTable
ALTER TABLE "Namespace" ADD COLUMN "gaveUpAt" TIMESTAMPTZ(3);

-- A decommission that stopped on an error stayed "decommissioning" with its
-- message; a failed provisioning is "failed". Both are now marked.
UPDATE "Namespace" SET "gaveUpAt" = "updatedAt"
 WHERE "status" = 'failed' OR ("status" = 'decommissioning' AND "statusMessage" LIKE 'Decommissioning failed%');

ALTER TABLE "Namespace" ADD CONSTRAINT "Namespace_status_check"
  CHECK ("status" IN ('provisioning', 'ready', 'failed', 'decommissioning', 'decommissioned'));
ALTER TABLE "NamespaceRequest" ADD CONSTRAINT "NamespaceRequest_kind_check"
  CHECK ("kind" IN ('create', 'change', 'decommission'));
ALTER TABLE "NamespaceRequest" ADD CONSTRAINT "NamespaceRequest_status_check"
  CHECK ("status" IN ('pending', 'withdrawn', 'rejected', 'approved'));
ALTER TABLE "Deployment" ADD CONSTRAINT "Deployment_kind_check"
  CHECK ("kind" IN ('deploy', 'rollback'));
ALTER TABLE "Deployment" ADD CONSTRAINT "Deployment_status_check"
  CHECK ("status" IN ('awaiting-approval', 'queued', 'applying', 'progressing', 'succeeded', 'failed', 'cancelled'));
ALTER TABLE "AuditEvent" ADD CONSTRAINT "AuditEvent_outcome_check"
  CHECK ("outcome" IN ('success', 'denied', 'failure'));
ALTER TABLE "ServiceDependency" ADD CONSTRAINT "ServiceDependency_kind_check"
  CHECK ("kind" IN ('service', 'sql', 'redis', 'servicebus', 'cosmosdb', 'mongodb', 'http'));
