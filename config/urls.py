from django.contrib import admin
from django.urls import include, path

handler400 = "couples.views.errors.bad_request"
handler403 = "couples.views.errors.permission_denied"
handler404 = "couples.views.errors.page_not_found"
handler500 = "couples.views.errors.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("couples.urls")),
    path("", include("practice.urls")),
    path("", include("practice.prompts.urls")),
    path("me/", include("practice.personal.urls")),
]
