from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("crm.accounts.urls")),
    path("contacts/", include("crm.contacts.urls")),
    path("notes/", include("crm.notes.urls")),
]
