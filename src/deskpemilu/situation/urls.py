from django.urls import path

from deskpemilu.portal import desk_views
from deskpemilu.situation import views

urlpatterns = [
    path("situasi/", views.room, name="situation"),
    path("situasi/fragmen/", views.room_fragment, name="situation_fragment"),
    path("situasi/tv/", views.tv, name="situation_tv"),
    path("situasi/tv/fragmen/", views.tv_fragment, name="situation_tv_fragment"),
    path("situasi/portal/", desk_views.portal_switch, name="portal_switch"),
    path("situasi/kpu/", desk_views.kpu, name="kpu_desk"),
    path("situasi/kpu/impor/", desk_views.kpu_import, name="kpu_import"),
    path("situasi/kpu/selisih.csv", desk_views.kpu_csv, name="kpu_desk_csv"),
    path("laporan/", views.reports, name="reports"),
    path("laporan/harian.pdf", views.daily_pdf, name="report_daily"),
    path("laporan/situasi.xlsx", views.situation_xlsx, name="report_xlsx"),
    path("laporan/rekap-<str:kecamatan>.pdf", views.kecamatan_pdf, name="report_kecamatan"),
]
