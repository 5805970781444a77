import { z } from "zod";

const schema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  PORT: z.coerce.number().default(4000),
  DATABASE_URL: z.string().url(),
  PROMO_REDEMPTIONS_DATABASE_URL: z.string().url(),
  REDIS_URL: z.string().url(),
  PROMOTIONS_API_URL: z.string().url(),
});

export const env = schema.parse(process.env);
export type Env = z.infer<typeof schema>;
