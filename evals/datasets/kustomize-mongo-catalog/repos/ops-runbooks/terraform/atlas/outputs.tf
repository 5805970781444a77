output "catalog_media_connection_string" {
  value     = mongodbatlas_cluster.catalog_media.connection_strings[0].standard_srv
  sensitive = true
}

output "catalog_media_archive_connection_string" {
  value     = mongodbatlas_cluster.catalog_media_archive.connection_strings[0].standard_srv
  sensitive = true
}
