-- Playlists (issue 15, decision 0036): a screen rotates through boards, each
-- for its seconds; a display (screen) shows one board or one playlist.

-- CreateTable
CREATE TABLE "Playlist" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "teamId" UUID,
    "createdByName" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Playlist_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PlaylistEntry" (
    "playlistId" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "boardId" UUID NOT NULL,
    "seconds" INTEGER NOT NULL,

    CONSTRAINT "PlaylistEntry_pkey" PRIMARY KEY ("playlistId","position")
);

-- AlterTable
ALTER TABLE "Display" ALTER COLUMN "boardId" DROP NOT NULL,
ADD COLUMN     "playlistId" UUID;

-- CreateIndex
CREATE UNIQUE INDEX "Playlist_slug_key" ON "Playlist"("slug");

-- CreateIndex
CREATE INDEX "Playlist_teamId_idx" ON "Playlist"("teamId");

-- CreateIndex
CREATE INDEX "PlaylistEntry_boardId_idx" ON "PlaylistEntry"("boardId");

-- CreateIndex
CREATE INDEX "Display_playlistId_idx" ON "Display"("playlistId");

-- AddForeignKey
ALTER TABLE "Playlist" ADD CONSTRAINT "Playlist_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlaylistEntry" ADD CONSTRAINT "PlaylistEntry_playlistId_fkey" FOREIGN KEY ("playlistId") REFERENCES "Playlist"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlaylistEntry" ADD CONSTRAINT "PlaylistEntry_boardId_fkey" FOREIGN KEY ("boardId") REFERENCES "Board"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Display" ADD CONSTRAINT "Display_playlistId_fkey" FOREIGN KEY ("playlistId") REFERENCES "Playlist"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A screen shows one board or one playlist, never both or neither (not expressible in schema.prisma).
ALTER TABLE "Display" ADD CONSTRAINT "Display_one_target" CHECK (("boardId" IS NULL) <> ("playlistId" IS NULL));

-- Seconds per board, as the use cases check them.
ALTER TABLE "PlaylistEntry" ADD CONSTRAINT "PlaylistEntry_seconds" CHECK ("seconds" BETWEEN 10 AND 3600);
