import { PrismaClient } from "./generated/client";

export const coreDb = new PrismaClient({ datasourceUrl: process.env.DATABASE_URL });

export type { Basket, Customer, Order } from "./generated/client";
