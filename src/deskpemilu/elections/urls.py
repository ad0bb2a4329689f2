from django.urls import path

from deskpemilu.elections import views

urlpatterns = [
    path("", views.election_list, name="elections"),
]
