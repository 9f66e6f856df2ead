-- Pairing a wall screen with a short code (decision 0026).

-- CreateTable
CREATE TABLE "DisplayPairing" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "secretHash" TEXT NOT NULL,
    "userAgent" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "pairedAt" TIMESTAMPTZ(3),
    "boardSlug" TEXT,
    "displayId" UUID,

    CONSTRAINT "DisplayPairing_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "DisplayPairing_code_key" ON "DisplayPairing"("code");

-- CreateIndex
CREATE UNIQUE INDEX "DisplayPairing_secretHash_key" ON "DisplayPairing"("secretHash");

-- CreateIndex
CREATE INDEX "DisplayPairing_expiresAt_idx" ON "DisplayPairing"("expiresAt");
