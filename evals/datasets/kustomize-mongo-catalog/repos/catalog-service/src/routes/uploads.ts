import { Router } from 'express';
import { randomUUID } from 'node:crypto';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Asset } from '../models/asset';
import { flags } from '../flags';

const BUCKET = process.env.CATALOG_MEDIA_BUCKET ?? 'acme-catalog-media-assets';
const CDN = process.env.CATALOG_MEDIA_CDN_URL ?? 'https://media.acme-catalog.com';
const s3 = new S3Client({});

export const uploads = Router();

// Seller portal photo uploads: the file goes to S3, the metadata document to the assets collection.
uploads.post('/products/:id/media', async (req, res) => {
  if (!flags.catalogMediaUploads) {
    return res.status(404).json({ error: 'uploads are disabled' });
  }
  const contentType = req.header('content-type') ?? 'application/octet-stream';
  const key = `products/${req.params.id}/${randomUUID()}`;
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: req.body, ContentType: contentType }));
  const asset = await Asset.create({ productId: req.params.id, sku: req.query.sku, s3Key: key, contentType });
  res.status(201).json({ id: asset.id, url: `${CDN}/${key}` });
});
