from django.urls import path

from checkout import views

urlpatterns = [
    path("healthz", views.healthz),
    path("v1/customers/<uuid:customer_id>/past-orders", views.past_orders),
]
