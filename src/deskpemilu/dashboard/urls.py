from django.urls import path

from deskpemilu.dashboard import views

RECAP = "rekap/<slug:contest>/<str:region_code>/"

urlpatterns = [
    path("rekap/", views.recap_home, name="recap_home"),
    path("rekap/anomali/", views.anomalies, name="anomalies"),
    path("rekap/tps.csv", views.tps_export, {"fmt": "csv"}, name="recap_tps_csv"),
    path("rekap/tps.xlsx", views.tps_export, {"fmt": "xlsx"}, name="recap_tps_xlsx"),
    path(RECAP, views.recap, name="recap"),
    path(RECAP + "fragmen/", views.recap_fragment, name="recap_fragment"),
    path(RECAP + "kursi/", views.seats, name="seats"),
    path(RECAP + "banding/", views.recap_compare, name="recap_compare"),
    path(RECAP + "dhasil/", views.dhasil_page, name="dhasil"),
    path(RECAP + "ekspor.csv", views.recap_export, {"fmt": "csv"}, name="recap_csv"),
    path(RECAP + "ekspor.xlsx", views.recap_export, {"fmt": "xlsx"}, name="recap_xlsx"),
]
