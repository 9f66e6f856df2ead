-- The node resource group ARM reports for each AKS cluster (issue 14): where
-- its VMs, disks and load balancers are billed. AKS names it
-- MC_<group>_<cluster>_<region> unless the cluster was created with
-- --node-resource-group, and it shortens long names, so Wharf stores what ARM
-- says instead of deriving it. Null until the next discovery; the cost
-- allocation falls back to the default name meanwhile.

-- AlterTable
ALTER TABLE "Cluster" ADD COLUMN "nodeResourceGroup" TEXT;
