-- Each stored cluster day records the rule for idle capacity and system
-- namespaces it was allocated with (issue 14, decision 0058), so a read can
-- say which of its figures an admin's change has not reached yet. Null on
-- days stored before this column: their rule is not known.

-- AlterTable
ALTER TABLE "CostAllocationClusterDay" ADD COLUMN "idleRule" TEXT,
    ADD COLUMN "systemRule" TEXT,
    ADD CONSTRAINT "CostAllocationClusterDay_idleRule_check" CHECK ("idleRule" IN ('proportional', 'even', 'apart')),
    ADD CONSTRAINT "CostAllocationClusterDay_systemRule_check" CHECK ("systemRule" IN ('proportional', 'even', 'apart'));
