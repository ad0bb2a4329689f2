"""The desk's pages of the portal (publishing switch, KPU comparison), under /situasi/ beside
the situation room that links to them."""

from django.urls import path

from deskpemilu.portal import desk_views

urlpatterns = [
    path("portal/", desk_views.portal_switch, name="portal_switch"),
    path("kpu/", desk_views.kpu, name="kpu_desk"),
    path("kpu/impor/", desk_views.kpu_import, name="kpu_import"),
    path("kpu/selisih.csv", desk_views.kpu_csv, name="kpu_desk_csv"),
]
