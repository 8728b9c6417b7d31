"""`backlint server`: backlint for editors, over the Language Server Protocol (pygls).

The editor sends each Python or SQL document as it is opened, changed and saved; the server
lints the document's current text as its path (its nearest configuration, the rest of its
project's facts read from the disk, as `backlint - --stdin-filename PATH` does) and publishes
the findings as diagnostics: the rule's code, the message, the confidence, a link to the
rule's page. The judge never runs here (nothing leaves the machine); a finding it would be
asked about is shown with `confidence: low`. Closing a document clears its diagnostics.

pygls is the `server` extra: `pip install "backlint[server]"`.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from backlint import __version__

NO_PYGLS = "backlint server needs pygls, which backlint installs only with its server extra: pip install 'backlint[server]'"
SOURCE = "backlint"
_SEVERITY = {"high": 1, "medium": 2, "low": 3}  # LSP: Error, Warning, Information


def lint_text(path: str, text: str) -> tuple[list[Any], list[Any]]:
    """The findings and file errors of `text` linted as the file `path`."""
    from backlint.config import ConfigError, load_settings
    from backlint.registry import enabled_codes
    from backlint.runner import run

    try:
        settings = load_settings(Path(path))
    except ConfigError:
        from backlint.settings import Settings

        settings = Settings(root=Path(path).resolve().parent)
    result = run([path], settings, enabled_codes(settings), use_cache=True, jobs=1, stdin=(path, text.encode("utf-8")))
    return list(result.findings), [e for e in result.errors if os.path.abspath(e.path) == os.path.abspath(path)]


def diagnostics(findings: list[Any], errors: list[Any]) -> list[Any]:
    """LSP diagnostics (lsprotocol types) for a document's findings and errors; positions in
    code points (the server's position codec converts them for the client)."""
    from lsprotocol import types as lsp

    from backlint.registry import by_code

    out = []
    for f in findings:
        rule = by_code(f.code)
        references = getattr(getattr(rule, "META", None), "references", ()) if rule is not None else ()
        low = f.confidence.value == "low"
        out.append(lsp.Diagnostic(
            range=lsp.Range(start=lsp.Position(line=f.span.start_line - 1, character=f.span.start_col),
                            end=lsp.Position(line=f.span.end_line - 1, character=f.span.end_col)),
            message=f.message + (" [confidence: low]" if low else ""),
            severity=lsp.DiagnosticSeverity(_SEVERITY.get(f.severity.value, 2)) if not low else lsp.DiagnosticSeverity.Information,
            code=f.code,
            code_description=lsp.CodeDescription(href=references[0]) if references else None,
            source=SOURCE,
            data={"checklist": f.checklist, "confidence": f.confidence.value, "fingerprint": f.fingerprint},
        ))
    for e in errors:
        line = max(0, (e.line or 1) - 1)
        column = max(0, (e.column or 1) - 1)
        out.append(lsp.Diagnostic(range=lsp.Range(start=lsp.Position(line=line, character=column),
                                                  end=lsp.Position(line=line, character=column + 1)),
                                  message=e.message, severity=lsp.DiagnosticSeverity.Error, source=SOURCE))
    return out


def make_server() -> Any:
    try:
        from lsprotocol import types as lsp
        from pygls.lsp.server import LanguageServer
    except ImportError as exc:
        raise RuntimeError(NO_PYGLS) from exc

    server = LanguageServer("backlint", __version__, text_document_sync_kind=lsp.TextDocumentSyncKind.Full)

    def publish(uri: str) -> None:
        document = server.workspace.get_text_document(uri)
        path = document.path
        if not path.endswith((".py", ".pyi", ".sql")):
            return
        try:
            findings, errors = lint_text(os.path.relpath(path) if _under_cwd(path) else path, document.source)
            found = diagnostics(findings, errors)
        except Exception as exc:  # noqa: BLE001 - an editor must get a message, never a dead server
            found = [lsp.Diagnostic(range=lsp.Range(start=lsp.Position(line=0, character=0), end=lsp.Position(line=0, character=1)),
                                    message=f"backlint failed on this file: {type(exc).__name__}: {exc}",
                                    severity=lsp.DiagnosticSeverity.Error, source=SOURCE)]
        lines = document.lines
        for diagnostic in found:
            diagnostic.range = server.workspace.position_codec.range_to_client_units(lines, diagnostic.range)
        server.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, version=document.version, diagnostics=found))

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(params: lsp.DidOpenTextDocumentParams) -> None:
        publish(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(params: lsp.DidChangeTextDocumentParams) -> None:
        publish(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(params: lsp.DidSaveTextDocumentParams) -> None:
        publish(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(params: lsp.DidCloseTextDocumentParams) -> None:
        server.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[]))

    return server


def _under_cwd(path: str) -> bool:
    try:
        Path(path).resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return False
    return True


def serve() -> None:
    """Serve over stdin/stdout until the editor says exit."""
    make_server().start_io()
