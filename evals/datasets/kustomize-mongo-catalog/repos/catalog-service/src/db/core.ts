import mongoose from 'mongoose';

export const coreConn = mongoose.createConnection(process.env.CATALOG_CORE_MONGO_URI as string, {
  maxPoolSize: 50,
  serverSelectionTimeoutMS: 5_000,
  appName: 'catalog-service',
});
