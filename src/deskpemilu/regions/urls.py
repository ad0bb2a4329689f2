from django.urls import path

from deskpemilu.regions import views

urlpatterns = [
    # Fixed paths first: `<str:code>/` would otherwise take "impor" and "ekspor" as codes.
    path("impor/", views.tps_import, name="tps_import"),
    path("ekspor/", views.tps_export, name="tps_export"),
    path("tps/<str:tps_code>/", views.tps_page, name="tps"),
    path("<str:code>/", views.region_page, name="region"),
]
