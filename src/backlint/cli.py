"""The command line: `backlint [PATHS]` checks; `rules` and `explain CODE` describe rules.

Exit codes (as ruff): 0 nothing reported, 1 findings or files that could not be linted,
2 usage or configuration error, or an internal failure. This is the only module that
exits the process.
"""
from __future__ import annotations

import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from backlint import __version__

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
_RANK = {"low": 0, "medium": 1, "high": 2}


class DefaultGroup(click.Group):
    """A group whose unknown first argument goes to `check`, so `backlint .` and
    `backlint --select BL2 src` work beside `backlint rules`. A path that is spelled like
    a subcommand is linted with `backlint check rules` or `backlint -- rules`."""

    default_command = "check"

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] == "help" and not os.path.exists("help"):
            args = [*args[1:2], "--help"] if args[1:2] and args[1] in self.commands else ["--help"]
        if args and args[0] not in self.commands and not args[0].startswith("-") and not os.path.exists(args[0]):
            import difflib

            close = difflib.get_close_matches(args[0], sorted(self.commands), n=1, cutoff=0.75)
            if close:  # `backlint explian BL201`: a mistyped command, not a path
                raise click.UsageError(f"no such command or path '{args[0]}'; did you mean `backlint {close[0]}`?")
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h", "--version")):
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)


def _folder_exists(path: str | Path, what: str) -> None:
    """Fail before the run (and any paid judge request) when `path` cannot be written."""
    from backlint.config import ConfigError

    folder = Path(path).resolve().parent
    if not folder.is_dir():
        raise ConfigError(f"{path}: cannot write the {what}: the folder {folder} does not exist")


def _warn_preview_selected(select: tuple[str, ...] | None, preview: bool) -> None:
    """`--select BL911` without --preview: named, a preview rule still does not run (as in
    ruff); say so instead of a silent run of nothing."""
    from backlint.registry import PREVIEW

    for code in select or ():
        if code in PREVIEW and not preview:
            sys.stderr.write(f"backlint: warning: {code} is in preview (new, not yet measured on real projects): "
                             f"it runs only with --preview (or `preview = true` in the configuration)\n")


def _unsafe_hint(findings: Any, unsafe: bool) -> str:
    """`; 3 more with --unsafe-fixes` when unsafe fixes were left out."""
    if unsafe:
        return ""
    from backlint.fix import FIXERS

    more = sum(1 for f in findings if f.code in FIXERS and not FIXERS[f.code].safe)
    return f"; {more} more with --unsafe-fixes" if more else ""


def _use_progress(stream: Any) -> bool:
    """A progress bar on a terminal only: never in CI logs, pipes or files."""
    if os.environ.get("TERM") == "dumb" or os.environ.get("CI"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


class _TerminalProgress:
    """A progress bar on standard error (rich), shown only once a run has taken longer than
    DELAY seconds (a warm or small run never shows one), erased when the run ends."""

    DELAY = 0.5
    LABELS = {"facts": "reading the project", "lint": "checking files"}

    def __init__(self) -> None:
        import time

        self._clock = time.monotonic
        self._started = self._clock()
        self._bar: Any = None
        self._tasks: dict[str, Any] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self._bar is None:
            if self._clock() - self._started < self.DELAY:
                return
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self._bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                                 console=Console(stderr=True), transient=True)
            self._bar.start()
        task = self._tasks.get(stage)
        if task is None:
            task = self._tasks[stage] = self._bar.add_task(self.LABELS.get(stage, stage), total=total)
        self._bar.update(task, completed=done, total=total)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()


def _use_color(stream: Any) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):  # CI logs that render ANSI colours
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="backlint", message="%(prog)s %(version)s")
def cli() -> None:
    """backlint: a linter for Python backend code.

    `backlint [OPTIONS] [PATHS]...` checks the paths (default: the current directory);
    see `backlint check --help` for its options. A path named like a subcommand is
    checked with `backlint check rules` or `backlint -- rules`.
    """


@cli.command(short_help="Check files (the default command).")
@click.argument("paths", nargs=-1, type=click.Path(readable=False))
@click.option("--select", multiple=True, metavar="CODES", help="Comma-separated codes or prefixes to enable (replaces the configured selection).")
@click.option("--ignore", multiple=True, metavar="CODES", help="Comma-separated codes or prefixes to disable (added to the configured ignores).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "github"]), default="text", show_default=True, help="Output format.")
@click.option("--output", "output", type=click.Path(dir_okay=False, writable=True), help="Write the report to this file instead of stdout.")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the result cache.")
@click.option("-q", "--quiet", is_flag=True, help="Print findings and errors only, no summary.")
@click.option("--statistics", is_flag=True, help="Print counts per rule and suppression comments worth a look, instead of each finding.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when something was reported (2 still means an error).")
@click.option("--fail-on", "fail_on", type=click.Choice(["low", "medium", "high"]), default=None,
              help="The lowest confidence of a finding that fails the run (exit 1); lower ones are still shown. Default: low (config `fail-on`).")
@click.option("--config", "config_args", multiple=True, metavar="FILE|KEY=VALUE",
              help="A config file to use instead of searching for one, or a setting in TOML (`--config 'fail-on = \"high\"'`) over the configuration; repeatable.")
@click.option("--isolated", is_flag=True, help="Ignore all configuration files, and take project facts from the named paths only.")
@click.option("--force-exclude", is_flag=True, help="Apply exclude patterns to files named on the command line too.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Worker processes for linting (default: one per CPU).")
@click.option("--llm", "llm", type=click.Choice(["off", "cache-only", "live"]), help="The LLM judge for findings the rules cannot decide: off, cached verdicts only, or live requests (default: live when ANTHROPIC_API_KEY or ANTHROPIC_AUTH_TOKEN is set, else cache-only).")
@click.option("--persona", metavar="NAME|PATH", help="The reviewer persona the judge plays: a name (backlint's own personas, then ~/.claude/agents/) or the path of a .md file (the only way to use one of the project's).")
@click.option("--show-dismissed", is_flag=True, help="Also show the findings the judge dismissed, with its rationale.")
@click.option("--max-escalations", type=click.IntRange(min=0), help="Send at most this many findings to the model in this run.")
@click.option("--max-cost", type=click.FloatRange(min=0), metavar="USD", help="Stop escalating before the estimated cost passes this many US dollars.")
@click.option("--deadline", type=click.FloatRange(min=0), metavar="SECONDS", help="Time allowed for the judge stage as a whole.")
@click.option("--timings", is_flag=True, help="Print on stderr where the run's time went: per stage and per rule.")
@click.option("--baseline", "baseline", type=click.Path(dir_okay=False, path_type=Path), help="Hide the findings this baseline file accepts (written by --write-baseline); report only new ones.")
@click.option("--write-baseline", "write_baseline", type=click.Path(dir_okay=False, path_type=Path), help="Write every finding of this run to a baseline file, and exit 0.")
@click.option("--diff-base", "diff_base", metavar="REF", help="Report only findings on lines changed since this git ref (a branch, tag or commit), staged and unstaged edits included.")
@click.option("--stdin-filename", "stdin_filename", metavar="PATH", help="With `-` as the path: lint standard input as this file (its configuration, project facts and the report's path); default `stdin.py`.")
@click.option("--cache-dir", "cache_dir_opt", type=click.Path(file_okay=False), help="Keep the result cache under this directory instead of `.backlint_cache/` in the project (also $BACKLINT_CACHE_DIR).")
@click.option("--color", "color_opt", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="Colour the text report: on a terminal (auto), always or never; NO_COLOR and FORCE_COLOR are honoured under auto.")
@click.option("--add-noqa", "add_noqa", metavar="REASON", help="Write `# backlint: ignore[CODE] REASON` on the line of every finding of this run (after --diff-base and --baseline), and exit 0.")
@click.option("--show-files", is_flag=True, help="List the files that would be checked, each with its configuration file, and exit.")
@click.option("--show-settings", is_flag=True, help="Print the settings each path resolves to (configuration file, root, rules, ...) and exit.")
@click.option("--preview", "preview", is_flag=True, help="Also run the rules in preview: new ones not yet measured on real projects (config `preview = true`).")
@click.option("--fix", "fix", is_flag=True, help="Apply the safe fixes (each checked by linting the fixed file again), then report what is left.")
@click.option("--unsafe-fixes", "unsafe_fixes", is_flag=True, help="Apply the unsafe fixes too (they change behaviour: read the diff); implies --fix.")
@click.option("--diff", "show_diff", is_flag=True, help="Print the fixes as a unified diff instead of writing them (exit 1 when there is one).")
def check(
    paths: tuple[str, ...],
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    fmt: str,
    output: str | None,
    no_cache: bool,
    quiet: bool,
    statistics: bool,
    exit_zero: bool,
    fail_on: str | None,
    config_args: tuple[str, ...],
    isolated: bool,
    force_exclude: bool,
    jobs: int | None,
    llm: str | None,
    persona: str | None,
    show_dismissed: bool,
    max_escalations: int | None,
    max_cost: float | None,
    deadline: float | None,
    timings: bool,
    show_files: bool,
    show_settings: bool,
    baseline: Path | None,
    write_baseline: Path | None,
    diff_base: str | None,
    add_noqa: str | None,
    cache_dir_opt: str | None,
    color_opt: str,
    stdin_filename: str | None,
    preview: bool = False,
    fix: bool = False,
    unsafe_fixes: bool = False,
    show_diff: bool = False,
) -> int:
    """Check PATHS (files or directories; default: the current directory)."""
    import time

    from backlint import timings as timing

    started = time.perf_counter()
    timing.TIMINGS.enabled = timings
    from backlint.api import check_config_codes, path_groups, run_groups, split_codes, triaged
    from backlint.config import ConfigError, load_settings
    from backlint.settings import Settings

    targets = list(paths) or ["."]
    stdin = None
    if "-" in targets:  # an editor's buffer: `backlint - --stdin-filename app/views.py`
        if targets != ["-"]:
            raise click.UsageError("`-` (standard input) cannot be combined with other paths")
        targets = [stdin_filename or "stdin.py"]
        stdin = (targets[0], sys.stdin.buffer.read())
    elif stdin_filename is not None:
        raise click.UsageError("--stdin-filename goes with `-` as the path")
    config, overrides = _config_args(config_args)
    if cache_dir_opt:
        from backlint.cache import CACHE_ENV

        os.environ[CACHE_ENV] = os.path.abspath(cache_dir_opt)  # the workers inherit it
    if isolated and config is not None:
        raise click.UsageError("--isolated and --config cannot be used together")
    if output is not None:
        _folder_exists(output, "report")
    if baseline is not None and write_baseline is not None:
        raise click.UsageError("--baseline and --write-baseline cannot be used together")
    accepted = None
    if baseline is not None:
        from backlint.baseline import BaselineError, load

        try:
            accepted = load(baseline)
        except BaselineError as exc:
            raise ConfigError(str(exc)) from None
    changes = None
    if diff_base is not None:  # before the run: a wrong ref is an error, not a slow failure
        from backlint.diffbase import DiffBaseError, changes_since

        try:
            changes = changes_since(diff_base, Path.cwd())
        except DiffBaseError as exc:
            raise ConfigError(str(exc)) from None
    if write_baseline is not None:
        _folder_exists(write_baseline, "baseline")
    if statistics and fmt != "text":
        sys.stderr.write(f"backlint: warning: --statistics is a text report; ignored with --format {fmt}\n")
    cli_select = split_codes(select, "--select")
    cli_ignore = split_codes(ignore, "--ignore") or ()

    def settings_of(found: Path | None, group: list[str]) -> Settings:
        """The settings of a group of paths: its configuration file (or the defaults with
        --isolated), the --config settings over it, then the command line's options."""
        if isolated:
            base = _isolated(overrides)
        else:
            base = load_settings(Path(group[0]), explicit=config if config is not None else found, overrides=overrides)
        check_config_codes(base)
        return replace(
            base,
            cli_select=cli_select if cli_select is not None else base.cli_select,
            cli_ignore=base.cli_ignore + cli_ignore,
            force_exclude=force_exclude or base.force_exclude,
            fail_on=fail_on or base.fail_on,
            preview=preview or base.preview,
        )

    # each path under its nearest configuration, as ruff does: `backlint a/x.py b/y.py` (a
    # pre-commit run across a monorepo's projects) reads a/'s config for x.py and b/'s for
    # y.py, whatever the order of the paths
    groups = path_groups(targets, one_group=isolated or config is not None)
    _warn_preview_selected(cli_select, preview)
    if show_files or show_settings:
        return _show(groups, settings_of, show_files, show_settings)
    # settings: the judge's and the report's, the first path's configuration
    progress = _TerminalProgress() if not quiet and _use_progress(sys.stderr) else None
    try:
        result, settings = run_groups(groups, settings_of, use_cache=not no_cache, jobs=jobs, stdin=stdin, progress=progress)
    finally:
        if progress is not None:
            progress.close()
    from backlint import baseline as baselines  # small: json and a Counter

    def narrowed(result: Any) -> Any:
        """--diff-base, then --baseline (before the judge: these findings cost no request)."""
        if changes is not None:
            result = replace(result, findings=tuple(changes.keep(result.findings)), errors=tuple(changes.keep_errors(result.errors)))
        if accepted is not None:
            kept, hidden = baselines.apply(result.findings, accepted)
            result = replace(result, findings=tuple(kept), baselined=hidden)
        return result

    if write_baseline is not None:
        if changes is not None:
            result = replace(result, findings=tuple(changes.keep(result.findings)))
        written = baselines.write(write_baseline, result.findings)
        sys.stderr.write(f"backlint: wrote {written} finding{'' if written == 1 else 's'} to the baseline {write_baseline}\n")
        return EXIT_CLEAN
    result = narrowed(result)
    if fix or unsafe_fixes or show_diff:
        if stdin is not None:
            raise click.UsageError("--fix, --unsafe-fixes and --diff rewrite files: not with `-` (standard input)")
        from backlint.api import fix_files
        from backlint.config import find_config

        def settings_for(path: str) -> Settings:
            return settings_of(None if isolated or config is not None else find_config(Path(path)), [path])

        outcomes = fix_files(result.findings, settings_for, unsafe=unsafe_fixes, write=not show_diff)
        for outcome in outcomes:
            for finding, why in outcome.refused:
                sys.stderr.write(f"backlint: {finding.path}:{finding.span.start_line}: {finding.code} not fixed: {why}\n")
        fixed = sum(len(o.fixed) for o in outcomes)
        files = sum(1 for o in outcomes if o.fixed)
        if show_diff:
            _echo("".join(o.diff() for o in outcomes if o.fixed), nl=False)
            sys.stderr.write(f"backlint: {fixed} fix{'es' if fixed != 1 else ''} would be applied to {files} file{'s' if files != 1 else ''}"
                             f"{_unsafe_hint(result.findings, unsafe_fixes)}\n")
            return EXIT_FINDINGS if fixed else EXIT_CLEAN
        sys.stderr.write(f"backlint: fixed {fixed} finding{'s' if fixed != 1 else ''} in {files} file{'s' if files != 1 else ''}"
                         f"{_unsafe_hint(result.findings, unsafe_fixes)}\n")
        if fixed:  # report what is left, as ruff does
            result, settings = run_groups(groups, settings_of, use_cache=not no_cache, jobs=jobs)
            result = narrowed(result)
    if add_noqa is not None:
        from backlint.addnoqa import add

        if not add_noqa.strip():
            raise click.UsageError("--add-noqa needs a reason (`--add-noqa \"accepted when backlint was adopted\"`)")
        added, files, skipped = add(result.findings, " ".join(add_noqa.split()))
        sys.stderr.write(f"backlint: added {added} suppression comment{'' if added == 1 else 's'} to {files} "
                         f"file{'' if files == 1 else 's'}" + (f"; {skipped} line{'' if skipped == 1 else 's'} could not take one "
                         "(inside a multi-line string, after a `\\`, or not UTF-8): those findings stay" if skipped else "") + "\n")
        return EXIT_CLEAN
    _warn_unknown_suppression_codes(result)
    if not result.files and not result.errors:
        # as ruff does: a run that looked at nothing says so (a typo in a path, every file excluded)
        sys.stderr.write("backlint: warning: no Python or SQL files found under the given paths\n")
    with timing.stage("judge (wall)"):
        result = _judge(result, settings, llm=llm, persona=persona, show_dismissed=show_dismissed,
                        max_escalations=max_escalations, max_cost=max_cost, deadline=deadline)
    color = output is None and fmt == "text" and (color_opt == "always" or (color_opt == "auto" and _use_color(sys.stdout)))
    with timing.stage("report (wall)"):
        text = _render(fmt, result, color=color, quiet=quiet, statistics=statistics, show_dismissed=show_dismissed)
    if timings:
        sys.stderr.write(timing.render(time.perf_counter() - started))
    if output is not None:
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"{output}: cannot write the report: {exc.strerror or exc}") from None
    if result.internal_errors:
        code = EXIT_ERROR
    elif exit_zero:
        code = EXIT_CLEAN
    else:
        # dismissed ones do not count; below --fail-on's confidence they are shown, not failed on
        failing = [f for f in result.findings if _RANK[f.confidence.value] >= _RANK[settings.fail_on]]
        code = EXIT_FINDINGS if failing or result.errors else EXIT_CLEAN
    if output is None and text:
        _BROKEN_PIPE_EXIT[0] = code  # `backlint . | head`: the run's own exit code
        _echo(text, nl=False, color=color)
    return code


def _isolated(overrides: dict[str, Any]) -> Any:
    """--isolated: no file read; the defaults, and the --config KEY=VALUE settings."""
    from backlint.config import parse_table
    from backlint.settings import Settings

    if not overrides:
        return Settings(root=Path.cwd().resolve(), isolated=True)
    return replace(parse_table(dict(overrides), "--config", root=Path.cwd().resolve(), config_path=None), isolated=True)


def _config_args(values: tuple[str, ...]) -> tuple[Path | None, dict[str, Any]]:
    """`--config FILE` and `--config KEY=VALUE` (a TOML line, as ruff takes them): the file,
    if one is named, and the settings given inline, in order (a later one wins)."""
    from backlint.config import ConfigError, toml_loads

    path: Path | None = None
    overrides: dict[str, Any] = {}
    for value in values:
        if "=" in value and not Path(value).is_file():
            try:
                parsed = toml_loads(value)
            except ValueError as exc:
                raise ConfigError(f"--config '{value}': not a TOML `key = value` setting: {exc}") from None
            overrides.update(parsed)
        elif path is not None:
            raise click.UsageError("--config names one file at most (and any number of KEY=VALUE settings)")
        else:
            path = Path(value)
    return path, overrides


def _show(groups: dict[Any, list[str]], settings_of: Any, show_files: bool, show_settings: bool) -> int:
    """--show-files / --show-settings: what a check would use, without checking."""
    import json

    from backlint.discovery import discover
    from backlint.registry import enabled_codes

    for found, group in groups.items():
        settings = settings_of(found, group)
        source = str(settings.config_path) if settings.config_path else "defaults: no configuration file"
        if show_settings:
            shown = {
                "paths": group,
                "configuration": source,
                "root": str(settings.root),
                "rules": list(enabled_codes(settings)),
                "select": list(settings.cli_select if settings.cli_select is not None else settings.select),
                "ignore": [*settings.ignore, *settings.cli_ignore],
                "per-file-ignores": {pattern: list(codes) for pattern, codes in settings.per_file_ignores},
                "exclude": [*settings.exclude, *settings.extend_exclude],
                "respect-gitignore": settings.respect_gitignore,
                "force-exclude": settings.force_exclude,
                "fail-on": settings.fail_on,
                "sql-dialect": settings.sql_dialect,
                "llm": settings.llm,
                "persona": settings.persona,
            }
            _echo(json.dumps(shown, indent=2))
        if show_files:
            from backlint.registry import CONFIG_FILES

            files, errors = discover(group, settings, config_files=bool(CONFIG_FILES.intersection(enabled_codes(settings))))
            for source_file in files:
                _echo(f"{source_file.path}  ({source})")
            for error in errors:
                sys.stderr.write(f"backlint: {error.path}: {error.message}\n")
    return EXIT_CLEAN


def _warn_unknown_suppression_codes(result: Any) -> None:
    """`# backlint: ignore[BL999]`: a code no rule has silences nothing, which a typo
    hides (it used to show only as an unused comment under --statistics)."""
    for use in result.suppressions:
        if use.kind == "nosec":
            continue  # bandit's comment: words naming no test are its reason
        from backlint.api import known_code

        unknown = [code for code in use.codes if not known_code(code)]
        if unknown:
            names = ", ".join(unknown)
            sys.stderr.write(f"backlint: warning: {use.path}:{use.line}: the suppression comment names {names}, "
                             f"which no rule has (see `backlint rules`)\n")


def _judge(result: Any, settings: Any, *, llm: str | None, persona: str | None, show_dismissed: bool, **budget: Any) -> Any:
    """The judge stage over the run's result (see backlint.llm.judge)."""
    from backlint.config import ConfigError

    from backlint.api import triaged

    result = triaged(result, settings.root)
    if not any(f.status == "unverified" for f in result.findings):
        return result  # nothing to judge: the SDK is not even imported
    from backlint.llm import persona as personas
    from backlint.llm.judge import config_from, review

    config = config_from(settings, mode=llm, persona=persona, show_dismissed=show_dismissed, **budget)
    try:
        if config.persona and config.mode != "off":
            for warning in personas.find(config.persona, settings.root).warnings:
                sys.stderr.write(f"backlint: warning: {warning}\n")
        reviewed = review(result, config, settings.root)
    except personas.PersonaError as exc:
        raise ConfigError(str(exc)) from None
    summary = reviewed.judge
    if summary is not None and config.mode != "off":
        if summary.planted:
            sys.stderr.write(
                f"backlint: warning: ignored {summary.planted} verdict file{'s' if summary.planted != 1 else ''} found inside the "
                f"project (.backlint_cache/verdicts/): the code under review cannot provide verdicts; they are read only from "
                f"{summary.store or 'the user verdict store'}\n"
            )
        if summary.candidates and not summary.store:  # no finding to judge: no store was opened
            sys.stderr.write("backlint: warning: the verdict store ($BACKLINT_VERDICTS or the user cache folder) is inside "
                             "the project under review, so no verdict is read or kept; point it outside the project\n")
    if reviewed.judge is not None and reviewed.judge.stopped:
        sys.stderr.write(f"backlint: warning: {reviewed.judge.stopped}; the remaining findings are reported unverified\n")
    return reviewed


def _render(fmt: str, result: Any, *, color: bool, quiet: bool, statistics: bool, show_dismissed: bool = False) -> str:
    if fmt == "json":
        from backlint.report import json as report_json

        return report_json.render(result)
    if fmt == "sarif":
        from backlint.report import sarif

        return sarif.render(result)
    if fmt == "github":
        from backlint.report import github

        return github.render(result)
    from backlint.report import text

    return text.render(result, color=color, quiet=quiet, statistics=statistics, show_dismissed=show_dismissed)


@cli.group(short_help="Manage backlint's caches.")
def cache() -> None:
    """The result cache lives in `.backlint_cache/` beside the configuration (or in the
    current directory); the judge's verdicts live in your user cache folder (or
    `$BACKLINT_VERDICTS`), never in the project, where a pull request could plant them."""


@cache.command(name="clear", short_help="Delete the result cache and the stored verdicts.")
@click.option("--verdicts-only", is_flag=True, help="Delete only the judge's stored verdicts (those of every project).")
@click.option("--results-only", is_flag=True, help="Delete only the lint results (keep the verdicts, which cost requests).")
@click.argument("path", required=False, type=click.Path(file_okay=False, path_type=Path))
def cache_clear(verdicts_only: bool, results_only: bool, path: Path | None) -> int:
    """Delete `.backlint_cache/` of the project at PATH (default: the current directory's)
    and the judge's verdict store."""
    import shutil

    from backlint.cache import cache_dir
    from backlint.config import load_settings
    from backlint.llm.verdicts import VerdictCache, store_dir

    if verdicts_only and results_only:
        raise click.UsageError("--verdicts-only and --results-only cannot be used together")
    root = path.resolve() if path is not None else load_settings(Path(".")).root
    directory = cache_dir(root)  # `.backlint_cache/`, or under $BACKLINT_CACHE_DIR
    store = VerdictCache(store_dir(), b"")
    count = len(store)
    verdicts = f"{count} stored verdict{'s' if count != 1 else ''} from {store.directory}"
    if not results_only and count:
        store.clear()  # the verdict files only: the folder may be shared ($BACKLINT_VERDICTS)
    if verdicts_only:
        _echo(f"Removed {verdicts}.")
        return EXIT_CLEAN
    if not directory.is_dir():
        _echo(f"No cache in {directory}." + (f" Removed {verdicts}." if not results_only and count else ""))
        return EXIT_CLEAN
    shutil.rmtree(directory, ignore_errors=True)
    if results_only:
        _echo(f"Removed the lint results in {directory} (kept {count} stored verdict{'s' if count != 1 else ''}).")
    else:
        _echo(f"Removed {directory} and {verdicts}.")
    return EXIT_CLEAN


@cli.group(short_help="Record that a finding is fine (kept outside the repository).")
def triage() -> None:
    """A reviewer's "this is fine", with a reason: it dismisses that finding for you (until
    the code it names changes) and is shown to the judge as a precedent for similar
    findings. Records are kept in your user folder, never in the repository."""


def _finding_at(target: str) -> tuple[Any, Path]:
    """The one finding at PATH:LINE[:CODE], and its project root."""
    import re as _re

    from backlint.config import ConfigError, load_settings
    from backlint.registry import enabled_codes
    from backlint.runner import run

    match = _re.fullmatch(r"(?P<path>.+?):(?P<line>\d+)(?::(?P<code>[A-Za-z]+\d+))?", target)
    if match is None:
        raise click.UsageError(f"{target}: expected PATH:LINE or PATH:LINE:CODE (as backlint prints a finding)")
    path, line, code = Path(match["path"]), int(match["line"]), (match["code"] or "").upper()
    if not path.is_file():
        raise ConfigError(f"{path}: no such file")
    settings = load_settings(path)
    result = run([str(path)], settings, enabled_codes(settings), use_cache=False)
    found = [f for f in (*result.findings, *result.dismissed) if f.span.start_line == line and (not code or f.code == code)]
    if not found:
        raise ConfigError(f"{target}: no finding on that line" + (f" for {code}" if code else ""))
    if len({f.code for f in found}) > 1:
        raise ConfigError(f"{target}: several findings on that line ({', '.join(sorted({f.code for f in found}))}); add the code: {path}:{line}:CODE")
    return found[0], settings.root


@triage.command(name="fine", short_help="Mark the finding at PATH:LINE[:CODE] as fine, with a reason.")
@click.argument("target")
@click.option("--reason", required=True, help="Why it is fine: shown in the output and to the judge.")
def triage_fine(target: str, reason: str) -> int:
    from backlint.llm import triage as records

    if not reason.strip():
        raise click.UsageError("--reason must say why")
    finding, root = _finding_at(target)
    records.record(root, finding, reason)
    _echo(f"Marked {finding.code} at {finding.path}:{finding.span.start_line} as fine ({reason.strip()}); "
               "kept in your user folder, not in the repository.")
    return EXIT_CLEAN


@triage.command(name="forget", short_help="Remove the record for the finding at PATH:LINE[:CODE].")
@click.argument("target")
def triage_forget(target: str) -> int:
    from backlint.llm import triage as records

    finding, root = _finding_at(target)
    if not records.forget(root, finding):
        _echo(f"No record for {finding.code} at {finding.path}:{finding.span.start_line}.")
        return EXIT_CLEAN
    _echo(f"Forgot the record for {finding.code} at {finding.path}:{finding.span.start_line}.")
    return EXIT_CLEAN


@triage.command(name="list", short_help="List this project's records.")
@click.argument("path", required=False, type=click.Path(file_okay=False, path_type=Path))
def triage_list(path: Path | None) -> int:
    from backlint.config import load_settings
    from backlint.llm import triage as records

    root = load_settings(path or Path(".")).root
    entries = records.load(root)
    for r in entries:
        _echo(f"{r['path']}:{r['line']}: {r['rule']} fine: {r.get('reason', '')}")
    if not entries:
        _echo("No triage records for this project.")
    return EXIT_CLEAN


@cli.command(name="rules", short_help="List the rules.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--by-checklist", is_flag=True, help="One row per checklist item: which rules cover it (or none yet).")
def rules_command(fmt: str, by_checklist: bool) -> int:
    """List every rule: code, name, checklist item, severity, fix availability."""
    import json

    from backlint.registry import all_rules

    if by_checklist:
        from backlint.checklist import ITEMS
        from backlint.registry import OFF_BY_DEFAULT

        rules = all_rules()
        coverage: list[dict[str, Any]] = []
        for slug, (item, how) in ITEMS.items():
            codes = [r.META.code for r in rules if r.META.checklist == slug]
            own = [code for code in codes if code.startswith("BL")]
            coverage.append(
                {
                    "checklist": slug,
                    "item": item,
                    "decided_by": how,
                    "rules": codes,
                    # covered only by bandit's tests (each checks a part of the item)
                    "bandit_only": not own and any(code not in OFF_BY_DEFAULT for code in codes),
                }
            )
        if fmt == "json":
            _echo(json.dumps(coverage, indent=2))
            return EXIT_CLEAN
        width = max(len(row["checklist"]) for row in coverage)
        covered = [row for row in coverage if any(code not in OFF_BY_DEFAULT for code in row["rules"])]
        from backlint.registry import PREVIEW

        for row in coverage:
            own = [code + ("*" if code in PREVIEW else "") for code in row["rules"] if code.startswith("BL")]
            bandit = [code for code in row["rules"] if not code.startswith("BL")]
            shown = ", ".join(own) or ("-" if not bandit else "")
            if bandit:
                shown += (" + " if own else "") + f"bandit ({len(bandit)}: {bandit[0]}…)" if len(bandit) > 2 else (", " if own else "") + ", ".join(bandit)
            _echo(f"{row['checklist'].ljust(width)}  {shown.ljust(22)}  {row['item']}")
        by_bandit = sum(1 for row in covered if row["bandit_only"])
        _echo(f"\n{len(covered)} of {len(coverage)} checklist items covered ({by_bandit} only by bandit's tests, which check part of the item; "
              "tests that are off by default not counted).")
        if any(code in PREVIEW for row in coverage for code in row["rules"]):
            _echo("* in preview: runs with --preview (new, not yet measured on real projects).")
        return EXIT_CLEAN

    rows = [
        {
            "code": r.META.code,
            "name": r.META.name,
            "checklist": r.META.checklist,
            "severity": r.META.severity.value,
            "confidence": r.META.confidence.value,
            "status": r.META.status,
            "fix": r.fix_available(),
            "summary": r.META.summary,
        }
        for r in all_rules()
    ]
    if fmt == "json":
        _echo(json.dumps(rows, indent=2))
        return EXIT_CLEAN
    header = {"code": "CODE", "name": "NAME", "checklist": "CHECKLIST", "severity": "SEVERITY", "status": "STATUS", "fix": "FIX"}
    table = [header] + [{**row, "fix": "yes" if row["fix"] else "no"} for row in rows]
    widths = {key: max(len(str(row[key])) for row in table) for key in header}
    for row in table:
        _echo("  ".join(str(row[key]).ljust(widths[key]) for key in header).rstrip())
    return EXIT_CLEAN


@cli.command(short_help="Serve diagnostics to editors (Language Server Protocol).")
def server() -> None:
    """Speak the Language Server Protocol on stdin/stdout: an editor sends its Python and SQL
    buffers, backlint answers with diagnostics (see docs/editors.md). Needs the server extra:
    pip install "backlint[server]"."""
    from backlint.server import NO_PYGLS, serve

    try:
        import pygls  # noqa: F401
    except ImportError:
        raise click.ClickException(NO_PYGLS) from None
    serve()


@cli.command(short_help="Print a rule's documentation.")
@click.argument("code")
def explain(code: str) -> int:
    """Print the documentation page of a rule (by code or name)."""
    from backlint.config import ConfigError
    from backlint.docs import render_rule
    from backlint.registry import by_code

    rule = by_code(code)
    if rule is None:
        raise ConfigError(f"unknown rule '{code}'; `backlint rules` lists them")
    _echo(render_rule(rule), nl=False)
    return EXIT_CLEAN


def main(argv: list[str] | None = None) -> None:
    """Console entry point: runs the CLI and turns every failure into an exit code and
    a one-line message (never a traceback)."""
    from backlint.config import ConfigError
    from backlint.knowledge import KnowledgeError

    try:
        code = cli.main(args=argv, prog_name="backlint", standalone_mode=False)
    except (ConfigError, KnowledgeError) as exc:  # KnowledgeError: a broken rules/*.yaml
        _fail(str(exc))
    except click.UsageError as exc:
        exc.show()
        sys.exit(EXIT_ERROR)
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_ERROR)
    except click.Abort:
        _fail("aborted")
    except KeyboardInterrupt:
        sys.stderr.write("backlint: interrupted\n")
        sys.exit(130)
    except BrokenPipeError:
        _quiet_broken_pipe()
    except Exception as exc:  # noqa: BLE001 - the promise is: no tracebacks
        message = " ".join(str(exc).split())
        _fail(f"internal error: {type(exc).__name__}: {message} (please report this)")
    sys.exit(code if isinstance(code, int) else EXIT_CLEAN)


def console_main() -> None:
    """The `backlint` command (and `python -m backlint`): `main()`, then an exit that skips
    the interpreter's teardown. A run over a large tree or module holds millions of small
    objects (trees, facts, caches) that would otherwise be freed one by one after the report
    is written: seconds spent on nothing (mypy ends the same way). The output streams are
    flushed first; backlint registers no exit handlers."""
    code: int | str | None = EXIT_CLEAN
    try:
        main()
    except SystemExit as exc:
        code = exc.code
    if not isinstance(code, int):
        if code is not None:  # sys.exit("message") prints the message, as the interpreter would
            sys.stderr.write(f"{code}\n")
            code = EXIT_ERROR
        else:
            code = EXIT_CLEAN
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError, OSError):  # a reader that stopped early, or a closed stream
            pass
    os._exit(code)


def _fail(message: str) -> None:
    sys.stderr.write(f"backlint: error: {message}\n")
    sys.exit(EXIT_ERROR)


def _echo(*args: Any, **kwargs: Any) -> None:
    """click.echo, with a reader that stops early (`backlint rules | head -1`) ending the
    run with its own exit code: click's own handling would exit 1."""
    try:
        click.echo(*args, **kwargs)
    except BrokenPipeError:
        _quiet_broken_pipe()


def _quiet_broken_pipe() -> None:
    # stdout was closed early (`backlint | head`): point it at devnull so the interpreter's
    # final flush does not complain, and exit like other tools do
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    # `backlint rules | head -1` is no failure; a check whose reader stopped early exits
    # as if it had finished (its findings were found, the reader chose not to read them)
    sys.exit(_BROKEN_PIPE_EXIT[0])


_BROKEN_PIPE_EXIT = [EXIT_CLEAN]  # the exit code if stdout closes early (check sets its own)


if __name__ == "__main__":
    console_main()
