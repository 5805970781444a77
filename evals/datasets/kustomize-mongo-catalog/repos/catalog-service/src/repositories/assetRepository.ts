import type { ClientSession } from 'mongoose';
import { mediaConn } from '../db/media';
import { Asset } from '../models/asset';
import { Rendition } from '../models/rendition';

export async function findAssetsForProduct(productId: string) {
  return Asset.find({ productId }).sort({ createdAt: 1 }).lean();
}

export async function findRenditions(assetIds: string[]) {
  return Rendition.find({ assetId: { $in: assetIds } }).lean();
}

export async function deleteAssetCascade(assetId: string): Promise<void> {
  // assets and renditions are in the same database, so one transaction covers both
  const session: ClientSession = await mediaConn.startSession();
  try {
    await session.withTransaction(async () => {
      await Rendition.deleteMany({ assetId }, { session });
      await Asset.deleteOne({ _id: assetId }, { session });
    });
  } finally {
    await session.endSession();
  }
}

// FIXME: the seller dashboard calls this on every page load; cache it or precompute.
export async function countAssetsBySku(skus: string[]) {
  return mediaConn
    .collection('assets')
    .aggregate<{ _id: string; n: number }>([
      { $match: { sku: { $in: skus } } },
      { $group: { _id: '$sku', n: { $sum: 1 } } },
    ])
    .toArray();
}
