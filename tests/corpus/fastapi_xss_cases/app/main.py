import html
from typing import Annotated

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse
from fastapi.templating import Jinja2Templates

app = FastAPI()
templates = Jinja2Templates(directory="templates")


@app.get("/welcome", response_class=HTMLResponse)
async def welcome(name: str = Query("guest")):
    return f"<h1>Welcome, {name}</h1>"  # expect: xss


@app.get("/welcome-escaped", response_class=HTMLResponse)
async def welcome_escaped(name: str = Query("guest")):
    return f"<h1>Welcome, {html.escape(name)}</h1>"  # ok: xss


@app.get("/welcome-text")
async def welcome_text(name: str = Query("guest")):
    return f"<h1>Welcome, {name}</h1>"  # ok: xss


@app.get("/search")
async def search(request: Request, q: Annotated[str, Query()] = ""):
    body = "<h2>Results</h2><p>You searched for: " + q + "</p>"
    return HTMLResponse(content=body)  # expect: xss


@app.get("/search-page")
async def search_page(request: Request, q: Annotated[str, Query()] = ""):
    return templates.TemplateResponse(request, "search.html", {"q": q})  # ok: xss


@app.get("/note/{note_id}")
async def note(note_id: int):
    return HTMLResponse(f"<article data-id='{note_id}'>note</article>")  # ok: xss


@app.get("/ping")
async def ping(request: Request):
    agent = request.headers.get("user-agent", "")
    return PlainTextResponse(f"<pong> {agent}")  # ok: xss


@app.get("/agent")
async def agent(request: Request):
    agent = request.headers.get("user-agent", "")
    return HTMLResponse(f"<p>Your browser: {agent}</p>")  # expect: xss


def render_card(title, body):
    return HTMLResponse(f"<div class='card'><h3>{title}</h3>{body}</div>")  # unclear: xss
