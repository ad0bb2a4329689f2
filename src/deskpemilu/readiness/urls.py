from django.urls import path

from deskpemilu.readiness import views

urlpatterns = [
    path("", views.home, name="readiness_home"),
    path("butir/", views.checklist, name="readiness_checklist"),
    path("ekspor/", views.export, name="readiness_export"),
    path("wilayah/<str:region_code>/", views.region_page, name="readiness_region"),
    path("tps/<str:tps_code>/", views.tps_page, name="readiness_tps"),
    path("tps/<str:tps_code>/foto/<str:sha256>/", views.tps_photo, name="readiness_photo"),
]
