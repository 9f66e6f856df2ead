-- A cluster's environment is one Wharf knows (dev, test, prod) or none (untagged): discovery and the admins' form
-- only ever write those (issue 18 item 5). A value written around them, by hand, was already shown as untagged by the
-- API (environmentOf in lib/clusters/cluster-view.ts); it becomes untagged here, so the constraint can hold.
UPDATE "Cluster" SET "environment" = NULL WHERE "environment" NOT IN ('dev', 'test', 'prod');

ALTER TABLE "Cluster" ADD CONSTRAINT "Cluster_environment_check"
  CHECK ("environment" IN ('dev', 'test', 'prod'));
