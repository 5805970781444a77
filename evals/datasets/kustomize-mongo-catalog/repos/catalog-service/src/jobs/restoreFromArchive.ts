import mongoose from 'mongoose';
import { Asset } from '../models/asset';
import { logger } from '../logger';

// One-off restores of deleted assets for support tickets. The archive database keeps
// 7 years of asset metadata for legal hold and is not part of CAT-1482.
const archiveConn = mongoose.createConnection(process.env.CATALOG_MEDIA_ARCHIVE_MONGO_URI as string);

export async function restoreSku(sku: string): Promise<number> {
  const docs = await archiveConn.collection('assets').find({ sku }).toArray();
  if (docs.length === 0) return 0;
  await Asset.insertMany(docs, { ordered: false });
  logger.info({ sku, n: docs.length }, 'restored assets from archive');
  return docs.length;
}
