from django.urls import path, re_path

from deskpemilu.portal import views

urlpatterns = [
    path("", views.home, name="portal_home"),
    path("wilayah/<str:code>/", views.region, name="portal_region"),
    path("tps/<str:tps_code>/", views.tps, name="portal_tps"),
    re_path(r"^foto/(?P<sha256>[0-9a-f]{64})\.jpg$", views.photo, name="portal_photo"),
    path("data/", views.data_index, name="portal_data"),
    path("data/<slug:contest>/<str:code>.csv", views.region_csv, name="portal_region_csv"),
    path("data/<slug:contest>/<str:code>/tps.csv", views.tps_csv, name="portal_tps_csv"),
    path("kpu/", views.kpu_home, name="portal_kpu"),
    path("kpu/<str:code>/", views.kpu_region, name="portal_kpu_region"),
    path("kpu/<str:code>/selisih.csv", views.kpu_csv, name="portal_kpu_csv"),
]
