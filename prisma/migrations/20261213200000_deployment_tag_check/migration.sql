-- What the registry said of the tag a digest was picked as (issue 17,
-- decisions 0064 and 0068): "checked" when it mapped the tag to the digest
-- deployed; otherwise why it could not be asked, so the deployment page, the
-- history, the approval and the API can say the tag was taken as picked.
-- Null for a tag or a digest alone, and for deployments made before this
-- column (their check, if any, is only in the audit event).

-- AlterTable
ALTER TABLE "Deployment" ADD COLUMN "tagCheck" TEXT,
    ADD CONSTRAINT "Deployment_tagCheck_check"
    CHECK ("tagCheck" IN ('checked', 'not-on-a-registry-wharf-reads', 'registries-not-listed', 'registry-did-not-answer', 'registry-refused-wharf'));
