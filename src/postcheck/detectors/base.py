"""The detector seam: small registered units that find evidence in a record.

A detector is compiled once per (rulebook, school) with its parameters and
then asked about each record. It returns :class:`Evidence`: the exact words
(spans), why they matter, how sure it is and whom they are aimed at. Rules
decide what the evidence means under the policy, so a detector can be
replaced (a lexicon by a trained model) without touching a rule.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, ValidationError

from postcheck.context import CompiledSchool, RecordContext, Terms, speak
from postcheck.model import Span


@dataclass(frozen=True)
class Evidence:
    why: str  # one sentence: what was found
    spans: tuple[Span, ...] = ()
    confidence: float = 1.0
    subject: str = ""  # the thing found, for the message: "Amelia Hart", "a public post"
    target: str | None = None  # whom the words are aimed at: person / school / group / none
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


class Params(BaseModel):
    """Detectors that take parameters subclass this; unknown keys are refused."""

    model_config = ConfigDict(extra="forbid")


_Params = Params  # the base class, for annotations inside Detector (where Params is a class attribute)


class Detector:
    name: ClassVar[str] = ""
    summary: ClassVar[str] = ""
    Params: ClassVar[type[Params]] = Params

    def __init__(self, school: CompiledSchool, params: _Params) -> None:
        self.school = school
        self.params = params

    @classmethod
    def describe(cls, terms: Terms | None = None) -> tuple[str, str]:
        """The summary and the documentation (one paragraph) in a rulebook's words: both are written with
        placeholders (``{the_organisation}``, ``{a_protected}``: postcheck.context.speak)."""
        import inspect

        doc = " ".join(inspect.cleandoc(cls.__doc__ or "").split())
        return speak(cls.summary, terms), speak(doc, terms)

    def detect(self, ctx: RecordContext) -> list[Evidence]:
        raise NotImplementedError

    def prime(self, texts: list[str]) -> None:
        """Batch hook: ``check_many`` passes every text of a batch here before the rules run.

        A detector that can work faster on many texts at once (a trained model) does so here
        and caches the answers; the others ignore it.
        """


REGISTRY: dict[str, type[Detector]] = {}


def register(cls: type[Detector]) -> type[Detector]:
    """Class decorator: make a detector available to rulebooks under ``cls.name``."""
    if not cls.name:
        raise ValueError(f"{cls.__name__} has no name")
    if cls.name in REGISTRY and REGISTRY[cls.name] is not cls:
        raise ValueError(f"two detectors are called {cls.name!r}")
    REGISTRY[cls.name] = cls
    return cls


DEFAULT: Any = object()  # "the bundled language models", for detectors built without a Checker


def build(name: str, school: CompiledSchool, raw_params: dict[str, Any] | None, scorer: Any = DEFAULT) -> Detector:
    """Instantiate a registered detector; ValueError says what is wrong with the parameters.

    ``scorer`` is the language models the Checker was configured with (None: models off); it is
    handed to the detectors that declare ``takes_scorer``, and to any detectors they build.
    """
    cls = REGISTRY.get(name)
    if cls is None:
        known = ", ".join(sorted(REGISTRY))
        raise ValueError(f"unknown detector {name!r}; known detectors: {known}")
    try:
        params = cls.Params.model_validate(raw_params or {})
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'params'}: {e['msg']}" for e in exc.errors()
        )
        raise ValueError(f"detector {name!r} parameters: {problems}") from None
    if getattr(cls, "takes_scorer", False):
        return cls(school, params, scorer=scorer)  # type: ignore[call-arg]
    return cls(school, params)


def span(field_name: str, text: str, start: int, end: int) -> Span:
    return Span(start=start, end=end, field=field_name, text=text[start:end])


EvidenceFn = Callable[[RecordContext], list[Evidence]]


class AnyOfParams(Params):
    detectors: list[dict[str, Any]]  # each {detector: name, params: {...}}


@register
class AnyOf(Detector):
    """Evidence from whichever of several detectors fire: lets a rule say 'A and (B or C)'."""

    name = "any_of"
    summary = "the evidence of any of several detectors (for 'A and (B or C)' rules)"
    Params = AnyOfParams

    takes_scorer = True

    def __init__(self, school: CompiledSchool, params: AnyOfParams, scorer: Any = DEFAULT) -> None:
        super().__init__(school, params)
        self.parts: list[Detector] = []
        for i, use in enumerate(params.detectors):
            extra = set(use) - {"detector", "params"}
            if "detector" not in use or extra:
                raise ValueError(f"detectors[{i}] needs 'detector' (and optionally 'params'), got {sorted(use)}")
            self.parts.append(build(use["detector"], school, use.get("params"), scorer))

    def detect(self, ctx: RecordContext) -> list[Evidence]:
        return [e for part in self.parts for e in part.detect(ctx)]

    def prime(self, texts: list[str]) -> None:
        for part in self.parts:
            part.prime(texts)
