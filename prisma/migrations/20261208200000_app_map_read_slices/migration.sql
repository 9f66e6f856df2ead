-- Map reads without parsing the whole map (decision 0049).
--
-- "version" changes on every write of a snapshot, whoever writes it (the
-- trigger, not the writer, sets it): the web keeps a parsed snapshot per
-- process and serves it only while the stored row still has its version.
--
-- AppMapTeamSlice: each team's part of a snapshot (its services, what they
-- call and what calls them, its declared-but-not-seen entries, positions
-- included), written by the worker in the snapshot's transaction and tagged
-- with the snapshot's version; a read of a team's map reads its row only.
--
-- The map's documents are json, not jsonb: they are only ever written whole
-- and read whole, and PostgreSQL turning 2 MB of jsonb back into text took
-- most of a whole map's read (bench/map.ts); json is returned as stored.
-- Nothing queries inside them.

-- AlterTable
ALTER TABLE "AppMapSnapshot"
  ALTER COLUMN "nodes" SET DATA TYPE JSON USING "nodes"::json,
  ALTER COLUMN "edges" SET DATA TYPE JSON USING "edges"::json,
  ALTER COLUMN "notSeen" SET DATA TYPE JSON USING "notSeen"::json,
  ALTER COLUMN "sources" SET DATA TYPE JSON USING "sources"::json,
  ALTER COLUMN "positions" SET DATA TYPE JSON USING "positions"::json;

-- AlterTable
ALTER TABLE "AppMapSnapshot" ADD COLUMN "version" BIGSERIAL NOT NULL;

CREATE FUNCTION "AppMapSnapshot_next_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."version" := nextval(pg_get_serial_sequence('"AppMapSnapshot"', 'version'));
  RETURN NEW;
END;
$$;

CREATE TRIGGER "AppMapSnapshot_version"
  BEFORE INSERT OR UPDATE ON "AppMapSnapshot"
  FOR EACH ROW EXECUTE FUNCTION "AppMapSnapshot_next_version"();

-- CreateTable
CREATE TABLE "AppMapTeamSlice" (
    "window" TEXT NOT NULL,
    "environment" TEXT NOT NULL,
    "team" TEXT NOT NULL,
    "snapshotVersion" BIGINT NOT NULL,
    "nodes" JSON NOT NULL,
    "edges" JSON NOT NULL,
    "notSeen" JSON NOT NULL,

    CONSTRAINT "AppMapTeamSlice_pkey" PRIMARY KEY ("window","environment","team")
);

-- AddForeignKey
ALTER TABLE "AppMapTeamSlice" ADD CONSTRAINT "AppMapTeamSlice_window_environment_fkey" FOREIGN KEY ("window", "environment") REFERENCES "AppMapSnapshot"("window", "environment") ON DELETE CASCADE ON UPDATE CASCADE;
