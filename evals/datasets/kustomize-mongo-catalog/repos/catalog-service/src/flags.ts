// Feature flags read once at startup. Flip them in the ConfigMap, then restart.
export const flags = {
  catalogMediaUploads: process.env.CATALOG_MEDIA_UPLOADS_ENABLED === 'true',
  bulkPriceImport: process.env.BULK_PRICE_IMPORT_ENABLED === 'true',
};
