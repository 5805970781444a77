import pino from "pino";

export const logger = pino({ name: "promo-redemptions-worker", level: process.env.LOG_LEVEL ?? "info" });
