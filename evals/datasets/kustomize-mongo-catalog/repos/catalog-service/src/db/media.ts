import mongoose from 'mongoose';
import { logger } from '../logger';

// Connection to the catalog_media database: asset and rendition metadata.
// The image files themselves are in S3 (acme-catalog-media-assets), served from media.acme-catalog.com.
// TODO(CAT-1482): drop this connection once assets are embedded in products (ADR-019).
export const mediaConn = mongoose.createConnection(process.env.CATALOG_MEDIA_MONGO_URI as string, {
  maxPoolSize: Number(process.env.CATALOG_MEDIA_MONGO_POOL_SIZE ?? 20),
  serverSelectionTimeoutMS: 5_000,
  appName: 'catalog-service',
});

mediaConn.on('connected', () => logger.info({ db: 'catalog_media' }, 'mongo connected'));

export async function pingCatalogMedia(): Promise<boolean> {
  try {
    const res = await mediaConn.db?.admin().ping();
    return res?.ok === 1;
  } catch {
    return false;
  }
}
