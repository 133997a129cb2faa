"""The checker: a rulebook and a school compiled once, then asked about records.

    checker = Checker()                      # bundled policy and example school
    findings = checker.check(record)         # a Record or a dict (FORMATS.md section 1)
    for result in checker.check_many(lines): # streaming, one Result per input, in order
        ...
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from itertools import islice
from pathlib import Path
from typing import Any

from postcheck.context import CompiledSchool, RecordContext
from postcheck.detectors import Detector, Evidence, build
from postcheck.errors import ConfigError
from postcheck.judge import Judge, JudgeModel, Outcome
from postcheck.judge.model import ModelMismatchError, bundled_path
from postcheck.model import Finding, Record, Result, Span, parse_record
from postcheck.rulebook import Rulebook, RuleSpec, load_rulebook
from postcheck.school import School, load_school, school_from_data

log = logging.getLogger(__name__)
BATCH = 256  # records per model batch in check_many
KINDS = {"post", "comment", "blog", "message", "profile", "friend_accept", "friend_invite", "share"}


def example_school_path() -> Path:
    return Path(str(resources.files("postcheck.examples").joinpath("school.yaml")))


@dataclass
class CompiledRule:
    spec: RuleSpec
    detectors: list[Detector]
    unless: list[Detector]

    def applies_to(self, ctx: RecordContext) -> bool:
        s = self.spec
        if ctx.role not in s.roles:
            return False
        if s.accounts == "personal" and ctx.official:
            return False
        if s.accounts == "official" and not ctx.official:
            return False
        return not (s.kinds and ctx.record.kind not in s.kinds)

    def evaluate(self, ctx: RecordContext) -> Finding | None:
        return self.evaluate_parts(ctx)[0]

    def evaluate_parts(self, ctx: RecordContext) -> tuple[Finding | None, list[tuple[int, float]]]:
        """The rule's finding (or None), and every detector that fired on the way (the judge's features)."""
        found: list[Evidence] = []
        parts: list[tuple[int, float]] = []
        for i, det in enumerate(self.detectors):
            ev = det.detect(ctx)
            if ev:
                parts.append((i, min(max(e.confidence for e in ev), 1.0)))
                found.extend(ev)
            elif self.spec.match == "all" and not self.spec.judged:
                return None, parts
        if self.spec.match == "all" and len(parts) < len(self.detectors):
            return None, parts  # judged: every detector was asked, so partial evidence is still a feature
        if not parts or any(det.detect(ctx) for det in self.unless):
            return None, parts
        confidence = min(max(e.confidence for e in found), 1.0)
        if confidence < self.spec.threshold:
            return None, parts
        return self._finding(found, confidence), parts

    def _finding(self, found: list[Evidence], confidence: float) -> Finding:
        s = self.spec
        subject = next((e.subject for e in found if e.subject), "")
        why = "; ".join(dict.fromkeys(e.why for e in found))
        target = next((e.target for e in found if e.target), None)
        spans: list[Span] = []
        seen: set[tuple[str, int, int]] = set()
        for e in found:
            for sp in e.spans:
                key = (sp.field, sp.start, sp.end)
                if key not in seen and sp.end > sp.start:
                    seen.add(key)
                    spans.append(sp)
        message = s.message.format(subject=subject or "it", why=why)
        model = next((e.extra["model"] for e in found if "model" in e.extra), None)
        return Finding(rule=s.name, clauses=list(s.clauses), severity=s.severity, message=message,
                       spans=spans, confidence=round(confidence, 2), target=target,
                       advice=s.advice, model=model)  # fmt: skip


class Checker:
    """Compiled rulebook + school. Build once, reuse for every record."""

    def __init__(
        self,
        policy: str | Path | Rulebook | None = None,
        school: str | Path | School | dict[str, Any] | None = None,
        *,
        select: list[str] | None = None,
        ignore: list[str] | None = None,
        judge: JudgeModel | Path | str | None = "bundled",
        models: str = "linear",
    ) -> None:
        """``judge``: the trained judge that decides judged rules' clauses ("bundled", a model
        file, a loaded model), or None to let every rule decide alone (lexicons only).
        ``models``: the language models the rules' model detectors use: "linear" (the default),
        "encoder", "auto" (the encoder where installed) or "off". Passed in, never read from
        the environment here: front ends decide (the CLI's --model, POSTCHECK_MODEL there)."""
        from postcheck.ml.scoring import make_scorer

        self.models = models
        self._scorer = make_scorer(models)
        self.rulebook = policy if isinstance(policy, Rulebook) else load_rulebook(policy)
        if isinstance(school, School):
            self.school = school
        elif isinstance(school, dict):
            self.school = school_from_data(school, roles=self.rulebook.parent_roles)
        else:
            self.school = load_school(school if school is not None else example_school_path(),
                                      roles=self.rulebook.parent_roles)  # fmt: skip
        # Who is bound and who is protected comes from the rulebook's roles, not from code.
        self.compiled = CompiledSchool(self.school, self.rulebook.roles, self.rulebook.terms)
        self.rulebook.check_selectors([*(select or []), *(ignore or [])])
        self.rules = [self._compile(r) for r in self.rulebook.select(select, ignore)]
        self.judge = self._judge(judge)

    def _judge(self, judge: JudgeModel | Path | str | None) -> Judge | None:
        if judge is None or judge == "off":
            return None
        if not any(r.spec.judged for r in self.rules):
            return None
        if not isinstance(judge, JudgeModel):
            path = bundled_path() if judge == "bundled" else Path(judge)
            try:
                judge = JudgeModel.load(path)
            except ModelMismatchError as exc:
                raise ConfigError(str(exc)) from None
        who = {ref: {r.value for r in c.who} for ref, c in self.rulebook.clauses.items()}
        return Judge(judge, self.rules, who, self.scorer)

    @property
    def scorer(self) -> object | None:
        """The language heads' scorer the rules' model detectors share (None when models are off)."""
        return self._scorer

    def _compile(self, spec: RuleSpec) -> CompiledRule:
        def make(uses: list[Any], what: str) -> list[Detector]:
            out = []
            for i, use in enumerate(uses):
                try:
                    out.append(build(use.detector, self.compiled, use.params, self._scorer))
                except ValueError as exc:
                    raise ConfigError(
                        f"{self.rulebook.source}: rule {spec.name}, {what}[{i}]: {exc}"
                    ) from None
            return out

        if spec.kinds and not set(spec.kinds) <= KINDS:
            bad = ", ".join(sorted(set(spec.kinds) - KINDS))
            raise ConfigError(f"{self.rulebook.source}: rule {spec.name}: unknown kinds {bad}; "
                              f"kinds are {', '.join(sorted(KINDS))}")  # fmt: skip
        return CompiledRule(spec, make(spec.detectors, "detectors"), make(spec.unless, "unless"))

    def check(self, record: Record | dict[str, Any]) -> list[Finding]:
        return self.check_full(record)[0]

    def check_full(self, record: Record | dict[str, Any]) -> tuple[list[Finding], list[Finding]]:
        """Findings, and the possible findings the judge was not sure enough of (shown apart)."""
        if not isinstance(record, Record):
            record = parse_record(record)
        ctx = RecordContext(record, self.compiled)
        if not ctx.bound:
            return [], []  # pupils and the public are protected as subjects, never bound as authors
        outcomes = [Outcome(rule, *rule.evaluate_parts(ctx)) for rule in self.rules if rule.applies_to(ctx)]
        if self.judge is None:
            return [o.finding for o in outcomes if o.finding is not None], []
        return self.judge.decide(ctx, outcomes)

    def outcomes(self, record: Record) -> tuple[RecordContext, list[Outcome]]:
        """Every applicable rule's outcome before judging (what ``postcheck train --judge`` learns from)."""
        ctx = RecordContext(record, self.compiled)
        return ctx, [Outcome(rule, *rule.evaluate_parts(ctx)) for rule in self.rules if rule.applies_to(ctx)]

    def check_result(self, record: Record | dict[str, Any], line: int | None = None) -> Result:
        """Like :meth:`check`, but a bad record becomes a Result with ``error`` set, never an exception."""
        rid = record.id if isinstance(record, Record) else _id_of(record)
        try:
            if not isinstance(record, Record):
                record = parse_record(record)  # validated before anything reads it
            findings, possible = self.check_full(record)
            return Result(id=rid, findings=findings, possible=possible, line=line)
        except ValueError as exc:
            where = f"line {line}: " if line is not None else ""
            return Result(id=rid, error=f"{where}{exc}", line=line)
        except Exception as exc:  # a bug, not a bad record: said on this record, and the run goes on
            where = f"line {line}: " if line is not None else ""
            tb = exc.__traceback__
            while tb is not None and tb.tb_next is not None:
                tb = tb.tb_next
            place = f"{Path(tb.tb_frame.f_code.co_filename).name}:{tb.tb_lineno}" if tb else "?"
            # Only the type and place are logged: the message could quote the record's text.
            log.error("internal error (%s at %s) checking a record", type(exc).__name__, place)
            return Result(id=rid, error=f"{where}internal error ({type(exc).__name__} at {place}) "
                          "while checking this record; please report it", line=line)  # fmt: skip

    def check_many(self, records: Iterable[Record | dict[str, Any]]) -> Iterator[Result]:
        """Stream results in input order; memory stays flat whatever the input's size.

        Records go through in batches: every detector's ``prime`` hook sees every text of a
        batch before the rules run, so a trained model scores the batch in one call.
        """
        detectors = [d for r in self.rules for d in [*r.detectors, *r.unless]]
        numbered = enumerate(records, 1)
        while raw := list(islice(numbered, BATCH)):
            chunk = [(n, _validated(record)) for n, record in raw]
            texts = [t for _, record in chunk for t in _texts(record)]
            for d in detectors:
                d.prime(texts)
            for n, record in chunk:
                yield self.check_result(record, n)


def _validated(record: Record | dict[str, Any]) -> Record | dict[str, Any]:
    """The record parsed, or left as it was when it is bad (check_result then names the fault)."""
    if isinstance(record, Record):
        return record
    try:
        return parse_record(record)
    except ValueError:
        return record


def _texts(record: Record | dict[str, Any]) -> list[str]:
    """The prose a model will be asked about. Only a validated record is read: a bad one
    (``in_reply_to`` a list, ``attachments`` a number) is reported by check_result, not read here."""
    if not isinstance(record, Record):
        return []
    out = [record.text, record.title, record.in_reply_to.text if record.in_reply_to else None]
    for att in record.attachments:
        out += [att.caption, att.alt_text]
    return [t for t in out if t]


def _id_of(data: Any) -> str | None:
    if isinstance(data, dict) and isinstance(data.get("id"), str):
        return data["id"]
    return None
