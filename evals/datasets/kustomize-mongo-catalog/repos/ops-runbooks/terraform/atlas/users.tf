resource "random_password" "catalog_media_rw" {
  length  = 32
  special = false
}

resource "mongodbatlas_database_user" "catalog_media_rw" {
  project_id         = mongodbatlas_project.catalog.id
  auth_database_name = "admin"
  username           = "catalog_media_rw"
  password           = random_password.catalog_media_rw.result

  roles {
    role_name     = "readWrite"
    database_name = "catalog_media"
  }

  scopes {
    name = mongodbatlas_cluster.catalog_media.name
    type = "CLUSTER"
  }
}
