"""WebSocket routes. Kept beside urls.py so the authorisation matrix can list them."""

from django.conf import settings
from django.urls import path


def websocket_urlpatterns():
    from practice import consumers

    routes = [
        path("ws/c/<str:token>/", consumers.RoomConsumer.as_asgi(), name="ws-room"),
        path("ws/me/", consumers.NotificationsConsumer.as_asgi(), name="ws-me"),
    ]
    if settings.BENCH_RELAY:
        from bench.relay import RelayConsumer

        routes.append(path("ws/bench/relay/<str:pair>/", RelayConsumer.as_asgi()))
    return routes
