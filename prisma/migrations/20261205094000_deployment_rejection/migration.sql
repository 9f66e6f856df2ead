-- A production deployment waiting for approval can be rejected with a
-- reason (decision 0037): a status of its own, and who rejected it, when
-- and why, for the requester and the history.

-- AlterTable
ALTER TABLE "Deployment" ADD COLUMN "rejectedById" UUID,
ADD COLUMN "rejectedByName" TEXT,
ADD COLUMN "rejectedAt" TIMESTAMPTZ(3),
ADD COLUMN "rejectionReason" TEXT;

ALTER TABLE "Deployment" DROP CONSTRAINT "Deployment_status_check";
ALTER TABLE "Deployment" ADD CONSTRAINT "Deployment_status_check"
  CHECK ("status" IN ('awaiting-approval', 'queued', 'applying', 'progressing', 'succeeded', 'failed', 'cancelled', 'rejected'));
