-- AlterTable: whether an environment's deployments wait for a second person; production did (it was fixed in code).
ALTER TABLE "NamespacePolicy" ADD COLUMN "requireDeploymentApproval" BOOLEAN NOT NULL DEFAULT false;
UPDATE "NamespacePolicy" SET "requireDeploymentApproval" = true WHERE "environment" = 'prod';
