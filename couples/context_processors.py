from functools import cache

from django.utils.functional import SimpleLazyObject

from .selectors import couple_with_members, partner_of


def couple(request):
    """`couple` and `partner` for the layout, queried only if a template asks."""
    user = request.user

    @cache
    def _couple():
        return couple_with_members(user) if user.is_authenticated else None

    def _partner():
        c = _couple()
        return partner_of(user, c) if c else None

    return {"couple": SimpleLazyObject(_couple), "partner": SimpleLazyObject(_partner)}
