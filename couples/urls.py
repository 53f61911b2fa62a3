from django.urls import path

from .views import accounts, attachment, pages, pairing, privacy

urlpatterns = [
    path("", pages.home, name="home"),
    path("dashboard/", pages.dashboard, name="dashboard"),
    path("support/", pages.support, name="support"),
    # Accounts
    path("accounts/signup/", accounts.signup, name="signup"),
    path("accounts/login/", accounts.login_view, name="login"),
    path("accounts/logout/", accounts.logout_view, name="logout"),
    path("accounts/profile/", accounts.profile, name="profile"),
    path("accounts/password/", accounts.password_change, name="password-change"),
    path("accounts/password/done/", accounts.password_change_done, name="password-change-done"),
    path("accounts/password/reset/", accounts.password_reset, name="password-reset"),
    path("accounts/password/reset/sent/", accounts.password_reset_done, name="password-reset-done"),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        accounts.password_reset_confirm,
        name="password-reset-confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        accounts.password_reset_complete,
        name="password-reset-complete",
    ),
    path("accounts/export/", privacy.export, name="account-export"),
    path("accounts/delete/", privacy.delete, name="account-delete"),
    # Pairing
    path("couple/new/", pairing.couple_create, name="couple-create"),
    path("couple/leave/", pairing.couple_leave, name="couple-leave"),
    path("couple/invite/", pairing.invite_link, name="invite-link"),
    path("couple/invite/new/", pairing.invite_regenerate, name="invite-regenerate"),
    path("couple/invite/revoke/", pairing.invite_revoke, name="invite-revoke"),
    path("invite/<str:token>/", pairing.invite_open, name="invite-open"),
    path("invite/", pairing.invite_accept, name="invite-accept"),
    # Attachment
    path("attachment/", attachment.home, name="attachment"),
    path("attachment/assessment/", attachment.assessment_view, name="attachment-assessment"),
    path(
        "attachment/assessment/discard/",
        attachment.assessment_discard,
        name="attachment-assessment-discard",
    ),
    path("attachment/results/<int:pk>/", attachment.result_detail, name="attachment-result"),
    path(
        "attachment/results/<int:pk>/sharing/",
        attachment.result_sharing,
        name="attachment-sharing",
    ),
    path("attachment/note/", attachment.note, name="attachment-note"),
    path("attachment/us/", attachment.couple_view, name="attachment-couple"),
]
