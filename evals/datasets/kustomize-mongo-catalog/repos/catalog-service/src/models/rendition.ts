import { Schema } from 'mongoose';
import { mediaConn } from '../db/media';

const RenditionSchema = new Schema(
  {
    assetId: { type: Schema.Types.ObjectId, ref: 'Asset', required: true, index: true },
    preset: { type: String, enum: ['thumb', 'card', 'zoom', 'og'], required: true },
    cdnPath: { type: String, required: true }, // path on the CDN
    bytes: Number,
  },
  { collection: 'renditions' },
);

export const Rendition = mediaConn.model('Rendition', RenditionSchema);
