from django.urls import path

from deskpemilu.stages import views

urlpatterns = [
    path("", views.stage_list, name="stages"),
    path("<slug:code>/", views.stage_detail, name="stage"),
    path("<slug:code>/ubah/", views.stage_edit, name="stage_edit"),
]
