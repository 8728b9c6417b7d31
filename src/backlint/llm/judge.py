"""The judge stage: after the rules, findings they could not decide (`unverified`, from a
rule that escalates) go to an LLM reviewer persona; confirmed findings are never sent
and never changed.

For each candidate, in a fixed order: build its context bundle, look its verdict up in
the cache, and (with `--llm live`) ask the model what the cache does not know, within the
budget (escalations, estimated cost, deadline), a few requests at a time. Then the
asymmetric policy decides: a finding is dismissed only on `no_violation` with high
confidence, quotes found verbatim in the code sent, and no tripwire; a `violation`
confirms it; anything else leaves it `unverified` with the reason. Every failure (no key,
no network, API errors, refusals, malformed answers, budget) leaves the finding reported
as `unverified` with its reason; nothing is lost and the run goes on.
"""
from __future__ import annotations

import os
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backlint.finding import Finding, Judgement, Severity
from backlint.hashing import hexdigest
from backlint.trust import checkout_of, inside
from backlint.llm import models
from backlint.llm import persona as personas
from backlint.llm import triage
from backlint.llm.bundle import Bundle, Sources, add_precedents, add_requested, build
from backlint.llm.protocol import (
    MAX_MISSING,
    PROTOCOL,
    VERDICT_SCHEMA,
    MalformedVerdict,
    Verdict,
    new_nonce,
    parse_verdict,
    quotes_verified,
)
from backlint.llm.verdicts import VerdictCache, finding_key, planted, verdict_key

if TYPE_CHECKING:
    from backlint.runner import RunResult

MODES = ("off", "cache-only", "live")
_NOT_CACHED = "no cached verdict; the judge runs with --llm live (or when ANTHROPIC_API_KEY is set)"
NO_CREDENTIALS = ("no Anthropic API credentials: set ANTHROPIC_API_KEY (or ANTHROPIC_AUTH_TOKEN) for --llm live, "
                  "or run with --llm cache-only")
CHARS_PER_TOKEN = 3.5  # for estimates before a request; the answer's usage is what counts
_SEVERITY_RANK = {Severity.HIGH: 0, Severity.MEDIUM: 1, Severity.LOW: 2}


NO_SDK = "the judge needs the anthropic package, which backlint installs only with its judge extra: pip install 'backlint[judge]'"


class NoSdk(RuntimeError):
    """`--llm live` without the anthropic package installed."""


def sdk_installed() -> bool:
    import importlib.util

    return importlib.util.find_spec("anthropic") is not None


def default_mode() -> str:
    """`live` when a key is in the environment and the SDK is installed, else `cache-only`."""
    if (os.environ.get("ANTHROPIC_API_KEY") or os.environ.get("ANTHROPIC_AUTH_TOKEN")) and sdk_installed():
        return "live"
    return "cache-only"


@dataclass(frozen=True)
class JudgeConfig:
    mode: str = "cache-only"
    persona: str | None = None  # a name or path; None: the built-in persona per rule
    model: str | None = None  # what `inherit` means; None: the alias table's default
    aliases: tuple[tuple[str, str], ...] = ()  # [tool.backlint.judge.models] overrides
    max_escalations: int = 25
    max_cost: float = 1.00  # USD, estimated
    deadline: float = 180.0  # seconds for the whole judge stage
    concurrency: int = 4
    timeout: float = 60.0  # seconds per request
    max_retries: int = 2  # the SDK's own retries (429, 5xx, connection errors)
    # Thinking is adaptive on current models and its tokens count toward max_tokens: the
    # room must hold the thinking, then the evidence, rationale and verdict.
    max_tokens: int = 16000
    effort: str = "medium"
    # "agree": no_violation at high confidence dismisses; at medium, only when a second,
    # independent request agrees (both with verified code quotes). "high": high only.
    dismiss: str = "agree"
    show_dismissed: bool = False


_KEY_FIELDS = {"max-escalations": "max_escalations", "max-cost": "max_cost", "deadline": "deadline",
               "concurrency": "concurrency", "timeout": "timeout", "max-retries": "max_retries", "model": "model",
               "effort": "effort", "max-tokens": "max_tokens", "dismiss": "dismiss"}
# Output tokens a request is assumed to use before any answer of the run was seen (the
# thinking, then the verdict); afterwards the run's observed average is used.
PRIOR_OUTPUT_TOKENS = 3000


def config_from(settings: Any, *, mode: str | None = None, persona: str | None = None, show_dismissed: bool = False,
                **overrides: Any) -> JudgeConfig:
    """The judge's configuration: the command line over `[tool.backlint]` over defaults."""
    values: dict[str, Any] = {}
    for key, value in settings.judge:
        if key == "models":
            values["aliases"] = tuple(value)
        else:
            values[_KEY_FIELDS[key]] = value
    values.update({k: v for k, v in overrides.items() if v is not None})
    return JudgeConfig(
        mode=mode or settings.llm or default_mode(),
        persona=persona or settings.persona,
        show_dismissed=show_dismissed,
        **values,
    )


@dataclass
class JudgeSummary:
    mode: str
    candidates: int = 0
    judged: int = 0  # answered by a live request
    cached: int = 0  # answered from the verdict cache
    dismissed: int = 0
    violations: int = 0
    unverified: int = 0
    tripwires: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0
    cost: float = 0.0  # USD, estimated from the usage the API reported
    follow_ups: int = 0  # second requests carrying the definitions the judge asked for
    second_opinions: int = 0  # second requests asked to confirm a medium-confidence no_violation
    stopped: str = ""  # why escalation stopped for the rest of the run, once
    planted: int = 0  # verdict files found inside the project: never read
    store: str = ""  # where verdicts are kept ("" when none is used)
    judges: list[str] = field(default_factory=list)  # persona@model used
    persona_files: list[dict[str, str]] = field(default_factory=list)  # personas not built in: name, path, hash
    reasons: Counter[str] = field(default_factory=Counter)

    def to_dict(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "candidates": self.candidates,
            "judged": self.judged,
            "cached": self.cached,
            "dismissed": self.dismissed,
            "violations": self.violations,
            "unverified": self.unverified,
            "tripwires": self.tripwires,
            "tokens": {
                "input": self.input_tokens,
                "output": self.output_tokens,
                "cache_read": self.cache_read_tokens,
                "cache_write": self.cache_write_tokens,
            },
            "estimated_cost_usd": round(self.cost, 4),
            "follow_ups": self.follow_ups,
            "second_opinions": self.second_opinions,
            "stopped": self.stopped or None,
            "judges": self.judges,
            "persona_files": self.persona_files,
            "verdict_store": self.store or None,
            "verdicts_ignored_in_project": self.planted,
        }


@dataclass
class _Case:
    finding: Finding
    persona: personas.Persona
    model: str
    bundle: Bundle
    key: str
    files: list[str] = field(default_factory=list)  # the project's files, for a follow-up
    reader: Any = None
    usage: dict[str, int] = field(default_factory=lambda: {"input": 0, "output": 0})  # this finding's requests
    # False for a persona file inside the reviewed project: its answers may confirm a
    # finding, never dismiss one (the repository must not choose its own reviewer)
    may_dismiss: bool = True
    estimate: float = 0.0
    result: Finding | None = None


class _Stop(Exception):
    """Escalation stops for the rest of the run (authentication, spend limit, network)."""


def review(result: RunResult, config: JudgeConfig, root: Path, *, client_factory: Callable[[JudgeConfig], Any] | None = None,
           store: VerdictCache | None = None) -> RunResult:
    """The run's result with its escalated findings judged (or given the reason they were
    not). `root` is the reviewed project's; verdicts come from `store` (default: the
    user's store, never one inside `root`). Raises persona.PersonaError for a persona
    that cannot be used."""
    summary = JudgeSummary(mode=config.mode)
    candidates = [f for f in result.findings if f.status == "unverified" and _escalates(f.code)]
    summary.candidates = len(candidates)
    if not candidates:
        return replace(result, judge=summary)
    if config.mode == "off":
        off = {id(f): replace(f, reason="the LLM judge is off (--llm off)") for f in candidates}
        return _finish(result, off, summary, config)

    chosen = personas.find(config.persona, root) if config.persona else None
    builtin = personas.builtin() if chosen is None else []
    aliases = dict(config.aliases)
    records = triage.load(root)
    cache = store if store is not None else VerdictCache.for_project(root)
    summary.store = str(cache.directory) if cache.enabled else ""
    summary.planted = planted(root)
    cases: list[_Case] = []
    # cache-only: a finding the store's index has never seen has no verdict to find, and
    # its context is not built (see verdicts.INDEX)
    skip_unknown = config.mode == "cache-only" and cache.enabled and cache.indexed()
    decided: dict[int, Finding] = {}
    sources = Sources(checkout_of(root))
    by_project: dict[int | None, list[str]] = {}  # call sites and imports stay in the finding's project
    for path in result.paths:
        by_project.setdefault(result.project_of.get(path), []).append(path)
    for finding in sorted(candidates, key=_order):
        persona = chosen or personas.for_code(finding.code, builtin)
        if persona is None:
            continue
        model = models.resolve(persona.model, config.model, aliases)
        judge_name = f"{persona.name}@{model}"
        if judge_name not in summary.judges:
            summary.judges.append(judge_name)
        described = {"name": persona.name, "path": persona.path, "hash": persona.digest}
        if persona.origin != "backlint" and described not in summary.persona_files:
            summary.persona_files.append(described)
        if skip_unknown and not cache.may_have(finding_key(finding.code, finding.fingerprint)):
            decided[id(finding)] = replace(finding, reason=_NOT_CACHED)
            continue
        bundle = build(finding, result.facts_for(finding.path), window=persona.context_lines, project_files=by_project.get(result.project_of.get(finding.path), []), reader=sources)
        add_precedents(bundle, triage.precedents(finding, records))
        key = verdict_key(rule=finding.code, rule_version=_rule_version(finding.code), model=model,
                          persona_digest=persona.digest, context=bundle.normalised())
        cases.append(_Case(finding, persona, model, bundle, key, files=by_project.get(result.project_of.get(finding.path), []),
                           reader=sources, may_dismiss=persona.origin != "path" or not inside(Path(persona.path), root)))

    pending: list[_Case] = []
    for case in cases:
        entry = cache.get(case.key)
        verdict: Verdict | None = None
        if entry is not None:
            try:
                verdict = parse_verdict(entry["verdict"])
            except MalformedVerdict:
                entry = None
        if entry is not None and verdict is not None:
            requested = entry.get("requested")
            if isinstance(requested, list) and requested:  # the verdict came after a follow-up
                before = len(case.bundle.blocks)
                add_requested(case.bundle, [str(n) for n in requested][:MAX_MISSING], case.files, case.reader)
                if entry.get("final") != _digest(case.bundle):
                    del case.bundle.blocks[before:]  # what the follow-up showed has changed: ask again
                    entry = None
        if entry is not None and verdict is not None:
            # the bundle's lines may have moved since (the key ignores line numbers)
            verdict = replace(verdict, evidence=case.bundle.rebase(verdict.evidence, entry.get("anchors")))
            second = None
            if isinstance(entry.get("second"), dict):
                try:
                    second = parse_verdict(entry["second"])
                    second = replace(second, evidence=case.bundle.rebase(second.evidence, entry.get("second_anchors")))
                except MalformedVerdict:
                    second = None
            case.result = _decide(case, verdict, cached=True, second=second, policy=config.dismiss)
            summary.cached += 1
        if entry is None:
            pending.append(case)

    if pending and config.mode == "cache-only":
        for case in pending:
            case.result = _unverified(case, _NOT_CACHED)
        pending = []
    if pending:
        over = pending[config.max_escalations :]
        pending = pending[: config.max_escalations]
        for case in over:
            case.result = _unverified(case, f"over budget: at most {config.max_escalations} escalation{'' if config.max_escalations == 1 else 's'} per run (--max-escalations)")
        _ask_all(pending, config, cache, summary, client_factory)

    decided.update({id(c.finding): c.result for c in cases if c.result is not None})
    for finding in candidates:  # a finding no persona applies to keeps its status
        if id(finding) not in decided:
            decided[id(finding)] = replace(finding, reason="no persona applies to this rule")
    return _finish(result, decided, summary, config)


def _digest(bundle: Bundle) -> str:
    """What a verdict was given on, whole (the requested definitions included)."""
    return hexdigest(bundle.normalised().encode("utf-8"), 16)


def _escalates(code: str) -> bool:
    from backlint.registry import escalates

    return escalates(code)


def _rule_version(code: str) -> int:
    from backlint.registry import version

    return version(code)


def _order(f: Finding) -> tuple[int, str, str, int, int]:
    return (_SEVERITY_RANK[f.severity], f.code, f.path, f.span.start_line, f.span.start_col)


def _judgement(case: _Case, verdict: Verdict, cached: bool) -> Judgement:
    return Judgement(
        verdict=verdict.verdict,
        confidence=verdict.confidence,
        rationale=verdict.rationale,
        evidence=verdict.evidence,
        suggested_fix=verdict.suggested_fix,
        judge=f"{case.persona.name}@{case.model}",
        cached=cached,
        tripwire=case.bundle.tripwire(),
    )


def _agrees(verdict: Verdict | None, case: _Case) -> bool:
    """A no_violation at medium or high confidence whose quotes prove the point."""
    return (verdict is not None and verdict.verdict == "no_violation" and verdict.confidence in ("medium", "high")
            and quotes_verified(verdict, case.bundle)[0])


def wants_second_opinion(case: _Case, verdict: Verdict, policy: str) -> bool:
    """Under the `agree` policy, a medium no_violation with verified quotes is asked again."""
    return (policy == "agree" and verdict.verdict == "no_violation" and verdict.confidence == "medium"
            and not case.bundle.tripwire() and _agrees(verdict, case))


def _decide(case: _Case, verdict: Verdict, *, cached: bool, second: Verdict | None = None, policy: str = "agree") -> Finding:
    """The asymmetric policy: a violation confirms; a no_violation dismisses only at high
    confidence, or (policy `agree`) at medium when a second, independent answer agrees,
    every answer with quotes of the code that prove the point, and no tripwire."""
    judgement = _judgement(case, verdict, cached)
    finding = case.finding
    if verdict.verdict == "violation":
        return replace(finding, status="judged-violation", judgement=judgement, reason="")
    if verdict.verdict == "no_violation" and not case.may_dismiss:
        return replace(finding, judgement=judgement,
                       reason=f"not dismissed: the persona {case.persona.path} is a file of the project under review; "
                              "only backlint's own personas and those in ~/.claude/agents/ can dismiss a finding")
    if verdict.verdict == "no_violation" and (verdict.confidence == "high" or (policy == "agree" and verdict.confidence == "medium")):
        if judgement.tripwire:
            return replace(finding, judgement=judgement,
                           reason="not dismissed: the code sent contains text aimed at the reviewer (tripwire)")
        ok, why = quotes_verified(verdict, case.bundle)
        if not ok:
            return replace(finding, judgement=judgement, reason=f"not dismissed: {why}")
        if verdict.confidence == "high":
            return replace(finding, status="judged-dismissed", judgement=judgement, reason="")
        if _agrees(second, case):
            judgement = replace(judgement, rationale=f"{judgement.rationale} (a second, independent answer agreed)")
            return replace(finding, status="judged-dismissed", judgement=judgement, reason="")
        why = "and a second answer did not agree" if second is not None else "and no second answer confirmed it"
        return replace(finding, judgement=judgement,
                       reason=f"needs review: the judge leaned to no violation with only medium confidence, {why}")
    if verdict.verdict == "no_violation":
        return replace(finding, judgement=judgement,
                       reason=f"needs review: the judge leaned to no violation with only {verdict.confidence} confidence")
    return replace(finding, judgement=judgement, reason="needs review: the judge could not decide from the code shown")


def _unverified(case: _Case, reason: str) -> Finding:
    return replace(case.finding, reason=reason)


def _finish(result: RunResult, decided: dict[int, Finding], summary: JudgeSummary, config: JudgeConfig) -> RunResult:
    kept: list[Finding] = []
    dismissed: list[Finding] = list(result.dismissed)  # e.g. those the user marked fine (llm.triage)
    for finding in result.findings:
        new = decided.get(id(finding)) or finding
        if new is not finding:
            if new.status == "judged-dismissed":
                summary.dismissed += 1
            elif new.status == "judged-violation":
                summary.violations += 1
            else:
                summary.unverified += 1
                if new.reason:
                    summary.reasons[new.reason.split(":")[0]] += 1
            if new.judgement and new.judgement.tripwire:
                summary.tripwires += 1
        (dismissed if new.status == "judged-dismissed" else kept).append(new)
    return replace(result, findings=tuple(kept), dismissed=tuple(dismissed), judge=summary)


# -- live requests ---------------------------------------------------------------------


def make_client(config: JudgeConfig) -> Any:
    import logging

    try:
        import anthropic
    except ImportError as exc:
        raise NoSdk(NO_SDK) from exc

    # the SDK logs a one-time warning when a key in the environment shadows a profile;
    # backlint reports what matters on its own, and stays quiet in CI
    logging.getLogger("anthropic").setLevel(logging.ERROR)
    return anthropic.AsyncAnthropic(max_retries=config.max_retries, timeout=config.timeout)


def request_params(case: _Case, nonce: str, config: JudgeConfig) -> dict[str, Any]:
    """The keyword arguments of `messages.create` for one case: the persona and the fixed
    protocol as two system blocks (the prefix cached with cache_control), the fenced bundle
    as the user message, the verdict schema as structured output, adaptive thinking at the
    configured effort, and room for both in max_tokens."""
    return {
        "model": case.model,
        "max_tokens": config.max_tokens,
        "thinking": {"type": "adaptive"},
        "output_config": {"effort": config.effort, "format": {"type": "json_schema", "schema": VERDICT_SCHEMA}},
        "system": [
            {"type": "text", "text": case.persona.prompt},
            {"type": "text", "text": PROTOCOL, "cache_control": {"type": "ephemeral"}},
        ],
        "messages": [{"role": "user", "content": case.bundle.render(nonce)}],
    }


def _estimate(case: _Case, summary: JudgeSummary) -> float:
    """The cost of one request before it is sent: its input from the request's size, its
    output from what the run's answers so far used on average (a prior before the first)."""
    chars = len(case.persona.prompt) + len(PROTOCOL) + len(case.bundle.render("0" * 16))
    output = summary.output_tokens / summary.judged if summary.judged else PRIOR_OUTPUT_TOKENS
    return models.price(case.model).cost(int(chars / CHARS_PER_TOKEN), int(output))


def _ask_all(cases: list[_Case], config: JudgeConfig, cache: VerdictCache, summary: JudgeSummary,
             client_factory: Callable[[JudgeConfig], Any] | None) -> None:
    if not cases:
        return
    import asyncio  # here: a run with nothing to ask never imports it

    try:
        asyncio.run(_ask_async(cases, config, cache, summary, client_factory or make_client))
    except Exception as exc:  # noqa: BLE001 - the promise: the run finishes, findings stay
        why = f"the judge failed: {type(exc).__name__}: {' '.join(str(exc).split())[:200]}"
        summary.stopped = summary.stopped or why
        for case in cases:
            if case.result is None:
                case.result = _unverified(case, why)


async def _ask_async(cases: list[_Case], config: JudgeConfig, cache: VerdictCache, summary: JudgeSummary,
                     client_factory: Callable[[JudgeConfig], Any]) -> None:
    import asyncio

    started = time.monotonic()
    state: dict[str, Any] = {"reserved": 0.0}
    semaphore = asyncio.Semaphore(max(1, config.concurrency))
    try:
        client = client_factory(config)
    except Exception as exc:  # noqa: BLE001 - e.g. no credentials anywhere
        why = _stop_reason(exc)
        summary.stopped = why
        for case in cases:
            case.result = _unverified(case, why)
        return

    # the first request goes alone, without the SDK's retries: a refused key, an exhausted
    # account, an unknown model or an unreachable API then costs one request, not one per
    # finding in flight (a retryable failure of the probe is then retried as usual)
    probed = asyncio.Event()
    first_request = [True]

    async def one(case: _Case, first: bool = False) -> None:
        if not first:
            await probed.wait()
        try:
            await _one(case)
        finally:
            if first:
                probed.set()

    async def _one(case: _Case) -> None:
        async with semaphore:
            if summary.stopped:
                case.result = _unverified(case, summary.stopped)
                return
            if time.monotonic() - started > config.deadline:
                case.result = _unverified(case, f"over budget: the judge's deadline of {config.deadline:g} s passed (--deadline)")
                return
            case.estimate = _estimate(case, summary)
            if summary.cost + state["reserved"] + case.estimate > config.max_cost:
                case.result = _unverified(case, f"over budget: the estimated cost would pass ${config.max_cost:.2f} (--max-cost)")
                return
            state["reserved"] += case.estimate
            try:
                case.result = await _ask(client, case, config, cache, summary, probe=first_request.pop() if first_request else False,
                                         afford=lambda more: summary.cost + state["reserved"] + more <= config.max_cost)
            except _Stop as stop:
                if not summary.stopped:
                    summary.stopped = str(stop)
                case.result = _unverified(case, str(stop))
            except Exception as exc:  # noqa: BLE001 - e.g. the SDK's JSONDecodeError on a 200 that is not JSON
                case.result = _unverified(case, f"the judge failed: {type(exc).__name__}: {' '.join(str(exc).split())[:200]}")
            finally:
                state["reserved"] -= case.estimate

    tasks = [asyncio.ensure_future(one(case, first=i == 0)) for i, case in enumerate(cases)]
    remaining = max(0.0, config.deadline - (time.monotonic() - started))
    done, not_done = await asyncio.wait(tasks, timeout=remaining)
    for task in not_done:
        task.cancel()
    if not_done:
        await asyncio.gather(*not_done, return_exceptions=True)
    for case in cases:
        if case.result is None:
            case.result = _unverified(case, f"over budget: the judge's deadline of {config.deadline:g} s passed (--deadline)")
    close = getattr(client, "close", None)
    if close is not None:
        try:
            await close()
        except Exception:  # noqa: BLE001
            pass


async def _ask(client: Any, case: _Case, config: JudgeConfig, cache: VerdictCache, summary: JudgeSummary, *,
               probe: bool = False, afford: Callable[[float], bool] | None = None) -> Finding:
    """One finding: a request, and when the answer is `uncertain` and names what it is
    missing, one follow-up with those definitions added (if the budget allows it)."""
    answer = await _request(client, case, config, summary, probe=probe)
    if isinstance(answer, Finding):
        return answer
    verdict = answer
    requested: list[str] = []
    if verdict.verdict == "uncertain" and verdict.missing:
        before = len(case.bundle.blocks)
        found = add_requested(case.bundle, verdict.missing, case.files, case.reader)
        if found and len(case.bundle.blocks) > before and (afford is None or afford(_estimate(case, summary))):
            summary.follow_ups += 1
            retry = await _request(client, case, config, summary, count=False)
            if isinstance(retry, Finding):
                return retry
            verdict, requested = retry, found
        else:
            del case.bundle.blocks[before:]  # nothing new to show, or no budget: the first answer stands
    second: Verdict | None = None
    wanted = case.may_dismiss and wants_second_opinion(case, verdict, config.dismiss)
    if wanted and (afford is None or afford(_estimate(case, summary))):
        summary.second_opinions += 1
        again = await _request(client, case, config, summary, count=False)
        second = again if isinstance(again, Verdict) else None
    if not wanted or second is not None:  # a missing second opinion is asked for again next run
        cache.put(case.key, verdict.to_dict(), model=case.model, persona=case.persona.ident,
                  usage=case.usage, anchors=case.bundle.anchors(verdict.evidence), requested=requested,
                  second=second.to_dict() if second else None,
                  second_anchors=case.bundle.anchors(second.evidence) if second else None, final=_digest(case.bundle),
                  finding=finding_key(case.finding.code, case.finding.fingerprint))
    return _decide(case, verdict, cached=False, second=second, policy=config.dismiss)


async def _request(client: Any, case: _Case, config: JudgeConfig, summary: JudgeSummary, *,
                   probe: bool = False, count: bool = True) -> Verdict | Finding:
    """One request for the case's bundle as it stands: its verdict, or the finding
    `unverified` with the reason when there is none. Raises _Stop for errors no later
    request could get past."""
    import asyncio

    import anthropic

    nonce = new_nonce()
    params = request_params(case, nonce, config)
    try:
        retries = getattr(client, "max_retries", config.max_retries)
        if probe and isinstance(retries, int) and retries > 0:
            try:
                message = await client.with_options(max_retries=0).messages.create(**params)
            except (anthropic.RateLimitError, anthropic.InternalServerError, anthropic.APIConnectionError) as exc:
                if _stops(exc):
                    raise
                # a passing failure: the SDK's own retries, one already spent
                await asyncio.sleep(_retry_wait(exc))
                message = await client.with_options(max_retries=retries - 1).messages.create(**params)
        else:
            message = await client.messages.create(**params)
    except anthropic.APITimeoutError:
        return _unverified(case, f"the request timed out after {config.timeout:g} s (and the SDK's retries)")
    except (anthropic.AuthenticationError, anthropic.PermissionDeniedError, anthropic.PaymentRequiredError,
            anthropic.CredentialsError, anthropic.NotFoundError, anthropic.APIConnectionError) as exc:
        raise _Stop(_stop_reason(exc, case.model)) from None
    except TypeError as exc:
        if "authentication method" not in str(exc):
            raise
        # the SDK's word for a client with no key, token or credentials anywhere
        raise _Stop(f"escalation stopped: {NO_CREDENTIALS}") from None
    except anthropic.APIStatusError as exc:
        if _stops(exc):
            raise _Stop(_stop_reason(exc, case.model)) from None
        if isinstance(exc, anthropic.RateLimitError):
            return _unverified(case, "the API kept answering 429 (rate limited) after the SDK's retries")
        if isinstance(exc, anthropic.BadRequestError):
            return _unverified(case, f"the API rejected the request: {_api_message(exc)}")
        return _unverified(case, f"API error {exc.status_code}: {_api_message(exc)}")
    _count_usage(message, case.model, summary)
    usage = getattr(message, "usage", None)
    case.usage["input"] += getattr(usage, "input_tokens", 0) or 0
    case.usage["output"] += getattr(usage, "output_tokens", 0) or 0
    summary.judged += count  # findings answered live (a follow-up is not another one)
    if getattr(message, "stop_reason", None) == "refusal":
        return _unverified(case, "the model declined to judge this finding (refusal)")
    if getattr(message, "stop_reason", None) == "max_tokens":
        return _unverified(case, f"malformed answer: the answer was cut off at max_tokens ({config.max_tokens}; "
                                 "raise [tool.backlint.judge] max-tokens or lower effort)")
    try:
        return parse_verdict(_answer_of(message))
    except MalformedVerdict as exc:
        return _unverified(case, f"malformed answer: {exc}")


def _answer_of(message: Any) -> Any:
    """The verdict in a response: its text blocks (thinking blocks are not the answer)."""
    texts = []
    for block in getattr(message, "content", None) or []:
        kind = getattr(block, "type", None)
        if kind == "text":
            texts.append(getattr(block, "text", ""))
    if not texts:
        raise MalformedVerdict("the answer has no text")
    return "".join(texts)


def _count_usage(message: Any, model: str, summary: JudgeSummary) -> None:
    usage = getattr(message, "usage", None)
    if usage is None:
        return
    fresh = getattr(usage, "input_tokens", 0) or 0
    out = getattr(usage, "output_tokens", 0) or 0
    read = getattr(usage, "cache_read_input_tokens", 0) or 0
    write = getattr(usage, "cache_creation_input_tokens", 0) or 0
    summary.input_tokens += fresh
    summary.output_tokens += out
    summary.cache_read_tokens += read
    summary.cache_write_tokens += write
    summary.cost += models.price(model).cost(fresh, out, cache_write=write, cache_read=read)


def _api_message(exc: Any) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict) and error.get("message"):
            return " ".join(str(error["message"]).split())[:200]
    return " ".join(str(getattr(exc, "message", exc)).split())[:200]


# error codes of the API (`error.details.error_code`) after which no other request of the
# run can succeed: the account cannot spend, or the organisation cannot use the API
_STOP_CODES = re.compile(r"spend_limit|billing|organization_on_hold|organization_type_not_supported|"
                         r"parent_organization_required|ramp_limit")


def _retry_wait(exc: Any) -> float:
    """Seconds to wait before retrying the probe: the server's retry-after (at most 10 s),
    else the SDK's first back-off."""
    headers = getattr(getattr(exc, "response", None), "headers", None) or {}
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        try:
            value = float(headers.get(name, "")) * scale
        except (TypeError, ValueError):
            continue
        if 0 < value <= 10:
            return value
    return 0.5


def _error_code(exc: Any) -> str:
    body = getattr(exc, "body", None)
    error = body.get("error") if isinstance(body, dict) else None
    details = error.get("details") if isinstance(error, dict) else None
    code = details.get("error_code") if isinstance(details, dict) else None
    return code if isinstance(code, str) else ""


def _stops(exc: Any) -> bool:
    """Does this API error end the judge stage (no later request could succeed)?"""
    if _STOP_CODES.search(_error_code(exc)):
        return True
    text = _api_message(exc).lower()
    return "credit balance" in text or "spend limit" in text or "billing" in text or "usage limit" in text


def _stop_reason(exc: BaseException, model: str = "") -> str:
    if isinstance(exc, NoSdk):
        return f"escalation stopped: {exc}"
    import anthropic

    code = _error_code(exc)
    if code:
        why = f"the API answered {getattr(exc, 'status_code', '?')} {code}: {_api_message(exc)}"
    elif isinstance(exc, anthropic.NotFoundError):
        why = f"the API does not know the model '{model}' (404); check [tool.backlint.judge] model and the persona's model:"
    elif isinstance(exc, anthropic.RateLimitError):
        why = f"the account's spend limit is reached (429): {_api_message(exc)}"
    elif isinstance(exc, anthropic.AuthenticationError):
        why = "the API refused the credentials (401)"
    elif isinstance(exc, anthropic.PermissionDeniedError):
        why = "the API key may not use this model or workspace (403)"
    elif isinstance(exc, anthropic.PaymentRequiredError):
        why = "the account's spend limit or credit is exhausted (402)"
    elif isinstance(exc, anthropic.BadRequestError):
        why = f"the account cannot be billed: {_api_message(exc)}"
    elif isinstance(exc, anthropic.APIConnectionError):
        why = "cannot reach the Anthropic API (no network, or ANTHROPIC_BASE_URL is wrong)"
    elif isinstance(exc, anthropic.CredentialsError):
        detail = " ".join(str(exc).split()).split(". ")[0][:160]
        why = f"{NO_CREDENTIALS} (the SDK: {detail})"
    else:
        why = f"the client could not start: {type(exc).__name__}: {' '.join(str(exc).split())[:160]}"
    return f"escalation stopped: {why}"
