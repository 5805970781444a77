import express from 'express';
import mongoose from 'mongoose';
import { mediaConn } from './db/media';
import { coreConn } from './db/core';
import { assets } from './routes/assets';
import { health } from './routes/health';
import { uploads } from './routes/uploads';
import { logger } from './logger';

mongoose.set('strictQuery', true);

const app = express();
app.use(express.json({ limit: '1mb' }));
app.use(express.raw({ type: 'image/*', limit: '15mb' }));
app.use(health);
app.use('/v1', assets);
app.use('/v1', uploads);

const port = Number(process.env.PORT ?? 8080);
const server = app.listen(port, () => logger.info({ port }, 'catalog-service listening'));

async function shutdown(signal: string): Promise<void> {
  logger.info({ signal }, 'shutting down');
  server.close();
  await Promise.all([mediaConn.close(), coreConn.close()]);
  process.exit(0);
}

process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
