from django.urls import path

from deskpemilu.health import views

urlpatterns = [
    path("", views.home, name="health_home"),
    path("ekspor/", views.export, name="health_export"),
    path("kasus/baru/", views.incident_new, name="health_incident_new"),
    path("kasus/<int:incident_id>/", views.incident_page, name="health_incident"),
    path("puskesmas/<slug:slug>/", views.puskesmas_page, name="health_puskesmas"),
]
