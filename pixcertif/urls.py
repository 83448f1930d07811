from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Pix Certif — administration"
admin.site.site_title = "Pix Certif"
admin.site.index_title = "Équipe Pix"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("pixcertif.accounts.urls")),
    path("", include("pixcertif.accounts.team_urls")),
    path("", include("sessions_app.urls")),
    path("", include("invigilation.urls")),
    path("", include("finalisation.urls")),
]
