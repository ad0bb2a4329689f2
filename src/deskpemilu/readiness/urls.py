from django.urls import path

from deskpemilu.readiness import kerawanan_views, views

urlpatterns = [
    path("", views.home, name="readiness_home"),
    path("butir/", views.checklist, name="readiness_checklist"),
    path("ekspor/", views.export, name="readiness_export"),
    path("kerawanan/", kerawanan_views.kerawanan_list, name="readiness_kerawanan"),
    path("kerawanan/impor/", kerawanan_views.kerawanan_import, name="readiness_kerawanan_import"),
    path("wilayah/<str:region_code>/", views.region_page, name="readiness_region"),
    path("tps/<str:tps_code>/", views.tps_page, name="readiness_tps"),
    path(
        "tps/<str:tps_code>/kerawanan/",
        kerawanan_views.tps_kerawanan,
        name="readiness_tps_kerawanan",
    ),
    path("tps/<str:tps_code>/foto/<str:sha256>/", views.tps_photo, name="readiness_photo"),
]
