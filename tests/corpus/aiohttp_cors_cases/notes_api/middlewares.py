"""Middlewares of the attachments service, which does not use aiohttp-cors."""
import re

from aiohttp import web

TRUSTED = re.compile(r"^https://([a-z0-9-]+\.)?notes\.example\.com$")


@web.middleware
async def attachments_cors(request, handler):
    response = await handler(request)
    response.headers["Access-Control-Allow-Origin"] = request.headers.get("Origin", "*")  # expect: cors
    response.headers["Access-Control-Allow-Credentials"] = "true"
    return response


@web.middleware
async def thumbnails_cors(request, handler):
    response = await handler(request)
    origin = request.headers.get("Origin", "")
    if TRUSTED.match(origin):
        response.headers["Access-Control-Allow-Origin"] = origin  # ok: cors
        response.headers["Access-Control-Allow-Credentials"] = "true"
    return response


def create_attachments_app():
    return web.Application(middlewares=[attachments_cors, thumbnails_cors])
