import { Schema, Types } from 'mongoose';
import { mediaConn } from '../db/media';

export interface AssetDoc {
  productId: Types.ObjectId;
  sku: string;
  s3Key: string; // object key in the media bucket
  contentType: string;
  width?: number;
  height?: number;
  createdAt: Date;
}

const AssetSchema = new Schema<AssetDoc>(
  {
    productId: { type: Schema.Types.ObjectId, required: true, index: true },
    sku: { type: String, required: true, index: true },
    s3Key: { type: String, required: true },
    contentType: { type: String, required: true },
    width: Number,
    height: Number,
  },
  { collection: 'assets', timestamps: { createdAt: true, updatedAt: false } },
);

// Lives in catalog_media, not catalog_core: products only keep the asset ids.
export const Asset = mediaConn.model<AssetDoc>('Asset', AssetSchema);
