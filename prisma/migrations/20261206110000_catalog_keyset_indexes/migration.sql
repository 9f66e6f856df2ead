-- Keyset paging (decision 0040): each sort the catalog offers is (column, slug), so an index on the pair
-- lets a page start at its cursor and read only its own rows, in either direction.
DROP INDEX "Service_displayName_idx";
CREATE INDEX "Service_displayName_slug_idx" ON "Service"("displayName", "slug");

DROP INDEX "Service_tier_idx";
CREATE INDEX "Service_tier_slug_idx" ON "Service"("tier", "slug");

CREATE INDEX "Service_updatedAt_slug_idx" ON "Service"("updatedAt", "slug");
