from django.urls import path

from deskpemilu.core import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
]
