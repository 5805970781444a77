resource "mongodbatlas_project" "catalog" {
  name   = "acme-catalog"
  org_id = var.atlas_org_id
}

# catalog_core and reviews have their own projects (terraform/atlas-core, terraform/atlas-reviews).

# --- Catalog Media: asset and rendition metadata (CAT-1482: being retired) ---
resource "mongodbatlas_cluster" "catalog_media" {
  project_id                   = mongodbatlas_project.catalog.id
  name                         = "acme-cm-prod"
  cluster_type                 = "REPLICASET"
  provider_name                = "AWS"
  provider_region_name         = "EU_WEST_1"
  provider_instance_size_name  = "M30"
  mongo_db_major_version       = "6.0"
  cloud_backup                 = true
  auto_scaling_disk_gb_enabled = true
}

resource "mongodbatlas_cloud_backup_schedule" "catalog_media" {
  project_id   = mongodbatlas_project.catalog.id
  cluster_name = mongodbatlas_cluster.catalog_media.name

  reference_hour_of_day    = 3
  reference_minute_of_hour = 0
  restore_window_days      = 7

  policy_item_daily {
    frequency_interval = 1
    retention_unit     = "days"
    retention_value    = 14
  }
}

# --- catalog_media_archive: 7-year legal hold, read-mostly; stays ---
resource "mongodbatlas_cluster" "catalog_media_archive" {
  project_id                   = mongodbatlas_project.catalog.id
  name                         = "acme-cm-archive"
  cluster_type                 = "REPLICASET"
  provider_name                = "AWS"
  provider_region_name         = "EU_WEST_1"
  provider_instance_size_name  = "M10"
  mongo_db_major_version       = "6.0"
  cloud_backup                 = true
  auto_scaling_disk_gb_enabled = true
}
