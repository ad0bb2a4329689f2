from django.urls import path

from deskpemilu.situation import home, views

urlpatterns = [
    path("", home.home, name="home"),
    path("situasi/", views.room, name="situation"),
    path("situasi/fragmen/", views.room_fragment, name="situation_fragment"),
    path("situasi/tv/", views.tv, name="situation_tv"),
    path("situasi/tv/fragmen/", views.tv_fragment, name="situation_tv_fragment"),
    path("laporan/", views.reports, name="reports"),
    path("laporan/harian.pdf", views.daily_pdf, name="report_daily"),
    path("laporan/situasi.xlsx", views.situation_xlsx, name="report_xlsx"),
    path("laporan/rekap-<str:kecamatan>.pdf", views.kecamatan_pdf, name="report_kecamatan"),
]
