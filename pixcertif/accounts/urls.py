from django.urls import path

from pixcertif.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("connexion", views.LoginView.as_view(), name="login"),
    path("deconnexion", views.logout_view, name="logout"),
    path("inscription", views.signup, name="signup"),
    path("cgu", views.cgu, name="cgu"),
    path("mot-de-passe/choisir", views.choose_password, name="choose_password"),
    path("centre", views.switch_center_view, name="switch_center"),
    path("mentions-legales", views.legal_notice, name="legal"),
    path("accessibilite", views.accessibility, name="accessibility"),
    path("mot-de-passe-oublie", views.PasswordResetView.as_view(), name="password_reset"),
    path("mot-de-passe-oublie/envoye", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "mot-de-passe-oublie/<uidb64>/<token>",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("mot-de-passe-oublie/termine", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
