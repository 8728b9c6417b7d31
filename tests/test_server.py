"""`backlint server` through a real LSP client (pygls's LanguageClient over stdio): a
document opened with an SQL injection gets a BL201 diagnostic where the finding is, a change
that fixes it clears it, the project's configuration applies, closing clears everything."""
from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest

pytest.importorskip("pygls")
from lsprotocol import types as lsp  # noqa: E402
from pygls.lsp.client import LanguageClient  # noqa: E402

BAD = (
    "def find(cursor, request):\n"
    "    name = request.args['name']\n"
    "    cursor.execute(f\"SELECT id FROM users WHERE name = '{name}' -- 😀\")\n"
)
GOOD = (
    "def find(cursor, request):\n"
    "    name = request.args['name']\n"
    "    cursor.execute('SELECT id FROM users WHERE name = %s', (name,))\n"
)


async def _session(root: Path) -> list[tuple[str, list[lsp.Diagnostic]]]:
    client = LanguageClient("test-client", "1")
    published: list[tuple[str, list[lsp.Diagnostic]]] = []
    arrived = asyncio.Queue()

    @client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_diagnostics(params: lsp.PublishDiagnosticsParams) -> None:
        published.append((params.uri, params.diagnostics))
        arrived.put_nowait(params)

    await client.start_io(sys.executable, "-m", "backlint", "server", cwd=str(root))
    await client.initialize_async(lsp.InitializeParams(capabilities=lsp.ClientCapabilities(), root_uri=root.as_uri()))
    client.initialized(lsp.InitializedParams())
    uri = (root / "app" / "db.py").as_uri()
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(
        text_document=lsp.TextDocumentItem(uri=uri, language_id="python", version=1, text=BAD)))
    await asyncio.wait_for(arrived.get(), 120)
    client.text_document_did_change(lsp.DidChangeTextDocumentParams(
        text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=GOOD)]))
    await asyncio.wait_for(arrived.get(), 120)
    ignored = (root / "app" / "legacy.py").as_uri()  # per-file-ignores: BL201 off here
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(
        text_document=lsp.TextDocumentItem(uri=ignored, language_id="python", version=1, text=BAD)))
    await asyncio.wait_for(arrived.get(), 120)
    client.text_document_did_close(lsp.DidCloseTextDocumentParams(text_document=lsp.TextDocumentIdentifier(uri=uri)))
    await asyncio.wait_for(arrived.get(), 120)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return published


def test_diagnostics_follow_the_buffer(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "pyproject.toml").write_text(
        "[project]\nname = 'app'\n\n[tool.backlint]\nper-file-ignores = {'app/legacy.py' = ['BL201']}\n")
    (tmp_path / "app" / "db.py").write_text(GOOD)  # the disk holds the good version: the buffer decides
    published = asyncio.run(_session(tmp_path))
    (uri, first), (_, second), (legacy_uri, legacy), (_, closed) = published
    assert uri.endswith("/app/db.py") and legacy_uri.endswith("/app/legacy.py")
    assert [d.code for d in first] == ["BL201"]
    diagnostic = first[0]
    assert diagnostic.source == "backlint" and diagnostic.range.start.line == 2
    literal = BAD.splitlines()[2][19:-1]  # the f-string; its emoji is one code point, two UTF-16 units
    assert (diagnostic.range.start.character, diagnostic.range.end.character) == (19, 19 + len(literal.encode("utf-16-le")) // 2)
    assert "name" in diagnostic.message and diagnostic.severity == lsp.DiagnosticSeverity.Error
    assert diagnostic.code_description is not None and diagnostic.code_description.href.startswith("https://")
    assert list(second) == [] and list(closed) == []
    assert "BL201" not in [d.code for d in legacy]
