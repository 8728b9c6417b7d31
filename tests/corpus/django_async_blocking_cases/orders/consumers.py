import json

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from orders.models import Order


class OrderStatusConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        self.order_id = int(self.scope["url_route"]["kwargs"]["pk"])
        await self.accept()

    @database_sync_to_async
    def get_status(self):
        return Order.objects.get(pk=self.order_id).status  # ok: async-blocking

    async def receive(self, text_data=None, bytes_data=None):
        status = await self.get_status()  # ok: async-blocking
        await self.send(text_data=json.dumps({"status": status}))

    async def order_updated(self, event):
        order = Order.objects.get(pk=event["order_id"])  # expect: async-blocking
        await self.send(text_data=json.dumps({"status": order.status}))
