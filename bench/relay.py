"""The bare relay: the smallest consumer that does what the room does on the wire.

It forwards each text frame to the partner through the channel layer, with no
database, no authentication and no state. The bench measures it side by side with
the room, on the same Daphne processes, so the room's cost is read as a ratio to
what Channels itself costs on this machine. Mounted only when BENCH_RELAY is on.
"""

import re

from channels.generic.websocket import AsyncWebsocketConsumer

PAIR_RE = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
MAX_FRAME = 4096  # bench frames are tiny; a cap keeps the relay from being a free echo pipe


class RelayConsumer(AsyncWebsocketConsumer):
    group: str | None = None

    async def connect(self):
        pair = self.scope["url_route"]["kwargs"]["pair"]
        if not PAIR_RE.match(pair):
            await self.close()
            return
        # Like the room: both partners in one group, the sender's own copy dropped on arrival.
        self.group = f"bench-relay.{pair}"
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        if text_data is None or len(text_data) > MAX_FRAME:
            return
        await self.channel_layer.group_send(
            self.group, {"type": "relay.message", "text": text_data, "sender": self.channel_name}
        )

    async def relay_message(self, event):
        if event["sender"] != self.channel_name:
            await self.send(text_data=event["text"])
