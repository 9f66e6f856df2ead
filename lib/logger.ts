import pino from "pino";

// One structured logger; LOG_LEVEL picks how much.
export const logger = pino({ level: process.env.LOG_LEVEL ?? "info", base: { app: "wharf" } });
