"""backlint as a library: `backlint.check(paths) -> Report`, what `backlint check` runs.

    import backlint

    report = backlint.check(["src/"], select=["BL2"])
    for finding in report.findings:
        print(finding.path, finding.span.start_line, finding.code, finding.message)

Each path is linted under its nearest configuration file, as on the command line; the
result is the run's `Report` (`findings`, `errors`, `suppressed`, `suppressions`, `files`,
`dismissed`, `judge`). Nothing is printed and nothing is sent: the judge is off unless
`llm="cache-only"` or `llm="live"` is asked for. Bad configuration raises
`backlint.config.ConfigError` (the CLI's exit 2); a file that cannot be read or parsed is an
entry of `report.errors`, never an exception.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from backlint.finding import Finding
    from backlint.fix import FileFix
    from backlint.runner import Progress, RunResult
    from backlint.settings import Settings


def known_code(code: str) -> bool:
    """Does a code or prefix match some built-in rule (`ALL` matches all)?"""
    from backlint.registry import builtin_codes

    return code == "ALL" or any(known.startswith(code) for known in builtin_codes())


def require_known(code: str, where: str) -> None:
    """A code or prefix no built-in rule matches is an error (ruff: exit 2), not a run
    of no rule that passes."""
    from backlint.config import ConfigError

    if not known_code(code):
        raise ConfigError(f"{where}: no rule matches '{code}' (see `backlint rules`)")


def check_config_codes(settings: Settings) -> None:
    """The codes the configuration file names (select, ignore, per-file-ignores) must
    match a rule, as those given on the command line must."""
    where = str(settings.config_path) if settings.config_path else "configuration"
    for key, codes in (("select", settings.select), ("ignore", settings.ignore)):
        for code in codes:
            require_known(code, f"{where}: '{key}'")
    for pattern, codes in settings.per_file_ignores:
        for code in codes:
            require_known(code, f"{where}: 'per-file-ignores' entry '{pattern}'")


def path_groups(targets: Sequence[str], *, one_group: bool) -> dict[Path | None, list[str]]:
    """The paths by their nearest configuration file (None: no file, or `one_group` when
    --isolated or --config applies one configuration to all), in the order given."""
    from backlint.config import find_config

    groups: dict[Path | None, list[str]] = {}
    if one_group:
        groups[None] = list(targets)
    else:
        for target in targets:
            groups.setdefault(find_config(Path(target)), []).append(target)
    return groups


def run_groups(
    groups: dict[Path | None, list[str]],
    settings_of: Callable[[Path | None, list[str]], Settings],
    *,
    use_cache: bool = True,
    jobs: int | None = None,
    stdin: tuple[str, bytes] | None = None,
    progress: Progress | None = None,
) -> tuple[RunResult, Settings]:
    """Lint each group under its own settings and merge the results; also returns the
    settings of the first path's group (the judge's and the report's)."""
    from backlint.registry import enabled_codes
    from backlint.runner import merge_results, run

    runs = []
    first_group = next(iter(groups))
    settings: Settings | None = None
    # groups of named files first: a file that a folder's group reaches too is then
    # reported under its own (nearest) configuration, the one its file group has
    ordered = sorted(groups.items(), key=lambda item: any(Path(t).is_dir() for t in item[1]))
    for found, group in ordered:
        group_settings = settings_of(found, group)
        if found == first_group:
            settings = group_settings
        runs.append(run(group, group_settings, enabled_codes(group_settings), use_cache=use_cache, jobs=jobs, stdin=stdin,
                        progress=progress))
    assert settings is not None
    return merge_results(runs), settings


def split_codes(values: Iterable[str] | str | None, option: str) -> tuple[str, ...] | None:
    """`--select BL2,B6` (repeatable) as codes, upper-cased; None when not given. A list
    that names no code, a malformed code, or one no rule matches is a ConfigError."""
    from backlint.config import ConfigError, validate_code_prefix

    if values is None:
        return None
    items = [values] if isinstance(values, str) else list(values)
    if not items:
        return None
    codes = tuple(code.strip().upper() for item in items for code in item.split(",") if code.strip())
    if not codes:
        raise ConfigError(f"{option}: no rule code given (`{option} BL2`, or leave the option out)")
    for code in codes:
        validate_code_prefix(code, option)
        require_known(code, option)
    return codes


def check(
    paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str] = (".",),
    *,
    select: Iterable[str] | str | None = None,
    ignore: Iterable[str] | str | None = None,
    config: str | os.PathLike[str] | None = None,
    isolated: bool = False,
    cache: bool = True,
    jobs: int | None = None,
    llm: str = "off",
    preview: bool = False,
) -> RunResult:
    """Lint `paths` (files or folders) as `backlint check` does and return the report.

    `select` / `ignore`: codes or prefixes, as `--select` / `--ignore` (`select` replaces
    the configured selection, `ignore` adds to it). `config`: a configuration file for
    every path (default: each path's nearest one); `isolated`: no configuration file at
    all. `cache=False` neither reads nor writes the result cache. `llm`: the judge mode,
    `off` (the default here), `cache-only` or `live`. `preview`: also the rules in preview
    (as `--preview`)."""
    from backlint.config import ConfigError, load_settings

    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    targets = [os.fspath(p) for p in paths] or ["."]
    if isolated and config is not None:
        raise ConfigError("isolated and config cannot be used together")
    if llm not in ("off", "cache-only", "live"):
        raise ConfigError(f"llm: '{llm}' is not one of off, cache-only, live")
    cli_select = split_codes(select, "select")
    cli_ignore = split_codes(ignore, "ignore") or ()
    explicit = Path(config) if config is not None else None

    def settings_of(found: Path | None, group: list[str]) -> Settings:
        if isolated:
            from backlint.settings import Settings

            base = Settings(root=Path.cwd().resolve(), isolated=True)
        else:
            base = load_settings(Path(group[0]), explicit=explicit if explicit is not None else found)
        check_config_codes(base)
        return replace(
            base,
            cli_select=cli_select if cli_select is not None else base.cli_select,
            cli_ignore=base.cli_ignore + cli_ignore,
            preview=preview or base.preview,
        )

    groups = path_groups(targets, one_group=isolated or explicit is not None)
    result, settings = run_groups(groups, settings_of, use_cache=cache, jobs=jobs)
    result = triaged(result, settings.root)
    if llm != "off" and any(f.status == "unverified" for f in result.findings):
        from backlint.llm.judge import config_from, review

        result = review(result, config_from(settings, mode=llm), settings.root)
    return result


def fix_files(findings: Sequence[Finding], settings_for: Callable[[str], Settings], *, unsafe: bool, write: bool) -> list[FileFix]:
    """Fix the fixable findings, file by file (backlint.fix): each candidate text is linted
    again as that file, with the same settings and the rest of its project from the disk,
    before it is kept. `write`: write the fixed files (else only report, for --diff)."""
    from backlint.fix import fix_file, fixable
    from backlint.registry import enabled_codes
    from backlint.runner import run

    by_path: dict[str, list[Finding]] = {}
    for finding in findings:
        if fixable(finding, unsafe) is not None:
            by_path.setdefault(finding.path, []).append(finding)
    done: list[FileFix] = []
    for path, found in sorted(by_path.items()):
        try:
            data = Path(path).read_bytes()
            text = data.decode("utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # what cannot be read as text is not rewritten
        settings = settings_for(path)
        codes = enabled_codes(settings)

        def relint(candidate: str, path: str = path, settings: Settings = settings, codes: tuple[str, ...] = codes) -> tuple[Finding, ...]:
            return run([path], settings, codes, use_cache=True, jobs=1, stdin=(path, candidate.encode("utf-8"))).findings

        outcome = fix_file(path, text, found, unsafe, relint)
        if outcome is None:
            continue
        if write and outcome.fixed:
            with open(path, "w", encoding="utf-8", newline="") as fh:
                fh.write(outcome.new)
        done.append(outcome)
    return done


def triaged(result: RunResult, root: Path) -> RunResult:
    """The findings the user marked fine (`backlint triage fine`) moved to the dismissed."""
    from backlint import trust

    if not (trust.user_dir() / "triage").is_dir():
        return result  # no record anywhere: nothing to read
    from backlint.llm import triage

    records = triage.load(root)
    if not records:
        return result
    kept, dismissed = triage.apply(result.findings, records)
    return replace(result, findings=kept, dismissed=result.dismissed + dismissed) if dismissed else result


__all__ = ["check"]
