import Fastify from "fastify";
import { env } from "./env";
import { checkoutRoutes } from "./routes/checkout";
import { healthRoutes } from "./health";

const app = Fastify({ logger: true });

await app.register(healthRoutes);
await app.register(checkoutRoutes);

await app.listen({ host: "0.0.0.0", port: env.PORT });
