from django.urls import path

from invigilation import views

app_name = "invigilation"

urlpatterns = [
    path("connexion-espace-surveillant", views.entry, name="entry"),
]
