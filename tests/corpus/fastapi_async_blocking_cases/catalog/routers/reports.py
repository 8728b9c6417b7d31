import asyncio
import json
import subprocess
from pathlib import Path

import aiofiles
import anyio
from fastapi import APIRouter
from fastapi.responses import FileResponse

router = APIRouter(prefix="/v1/reports")
REPORTS = Path("/var/lib/catalog/reports")
SETTINGS_FILE = Path(__file__).with_name("report_settings.json")


@router.get("/settings")
async def report_settings():
    return json.loads(SETTINGS_FILE.read_text())  # unclear: async-blocking


@router.get("/{name}")
async def read_report(name: str):
    async with aiofiles.open(REPORTS / f"{name}.csv") as fh:  # ok: async-blocking
        body = await fh.read()  # ok: async-blocking
    return {"name": name, "body": body}


@router.get("/{name}/header")
async def report_header(name: str):
    with open(REPORTS / f"{name}.csv") as fh:  # unclear: async-blocking
        return {"header": fh.readline()}


@router.get("/{name}/size")
async def report_size(name: str):
    text = await anyio.Path(REPORTS / f"{name}.csv").read_text()  # ok: async-blocking
    return {"size": len(text)}


@router.post("/{name}/build")
async def build_report(name: str):
    result = subprocess.run(["catalog-report", name], capture_output=True, check=False)  # expect: async-blocking
    return {"status": result.returncode}


@router.post("/{name}/compress")
async def compress_report(name: str):
    proc = subprocess.Popen(["gzip", "-k", str(REPORTS / f"{name}.csv")])  # ok: async-blocking
    proc.wait()  # expect: async-blocking
    return {"ok": True}


@router.post("/{name}/publish")
async def publish_report(name: str):  # unclear: authz
    proc = await asyncio.create_subprocess_exec("catalog-publish", name)  # ok: async-blocking
    await proc.wait()  # ok: async-blocking
    return {"ok": proc.returncode == 0}


@router.get("/{name}/download")
async def download(name: str):
    def locate() -> Path:
        path = REPORTS / f"{name}.csv"
        path.write_text(path.read_text().strip())  # ok: async-blocking
        return path

    path = await asyncio.to_thread(locate)
    return FileResponse(path)
