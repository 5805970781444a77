import { Router } from 'express';
import { findAssetsForProduct, findRenditions } from '../repositories/assetRepository';

export const assets = Router();

assets.get('/products/:id/assets', async (req, res) => {
  const docs = await findAssetsForProduct(req.params.id);
  const renditions = await findRenditions(docs.map((d) => String(d._id)));
  res.json({ assets: docs, renditions });
});
