-- AlterTable
ALTER TABLE "Deployment" ADD COLUMN "queuedAt" TIMESTAMPTZ(3);
