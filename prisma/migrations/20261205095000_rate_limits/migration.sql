-- Rate limits shared by every web replica (lib/net/rate-limit.ts): one row
-- per budget and key (client address, person or pipeline) with the points
-- spent in the current window and when it ends (ms since the epoch). The
-- shape is rate-limiter-flexible's RateLimiterPostgres table, created here
-- rather than by the library at run time.

-- CreateTable
CREATE TABLE "RateLimit" (
    "key" VARCHAR(255) NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT,

    CONSTRAINT "RateLimit_pkey" PRIMARY KEY ("key")
);
