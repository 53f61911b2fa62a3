"""Error pages that say what happened in plain words, without Django's debug output."""

from django.shortcuts import render


def _page(request, status: int, title: str, message: str):
    return render(request, "errors/error.html", {"title": title, "message": message}, status=status)


def bad_request(request, exception=None):
    return _page(request, 400, "That request didn't make sense", "Please go back and try again.")


def permission_denied(request, exception=None):
    return _page(
        request,
        403,
        "You can't do that here",
        "If you think this is a mistake, try logging in again.",
    )


def page_not_found(request, exception=None):
    return _page(
        request,
        404,
        "Nothing here",
        "This page doesn't exist, or it isn't yours to see. If someone sent you a link, "
        "make sure you're logged in to the account they meant.",
    )


def server_error(request):
    return _page(
        request,
        500,
        "Something went wrong on our side",
        "Nothing you wrote before this was lost. Please try again in a moment.",
    )


def too_many_requests(request, exception=None):
    return _page(
        request,
        429,
        "Too many attempts",
        "For your safety we've paused this for a few minutes. Please wait and try again.",
    )
