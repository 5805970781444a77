import { Router } from 'express';
import { pingCatalogMedia } from '../db/media';
import { coreConn } from '../db/core';

export const health = Router();

health.get('/healthz', (_req, res) => res.json({ ok: true }));

health.get('/readyz', async (_req, res) => {
  const media = await pingCatalogMedia();
  const core = coreConn.readyState === 1;
  const ok = media && core;
  res.status(ok ? 200 : 503).json({ catalog_media: media, catalog_core: core });
});
