"""Detectors that read a record's metadata: when, where, to whom, over what, linking where."""

from __future__ import annotations

from typing import Literal
from urllib.parse import urlsplit

from postcheck.context import RecordContext, with_article
from postcheck.detectors.base import Detector, Evidence, Params, register, span
from postcheck.model import Role
from postcheck.text import EMAIL_RE
from postcheck.timing import Period, describe


class PeriodParams(Params):
    periods: list[Literal["working time", "session time", "break", "own time"]]


@register
class InPeriod(Detector):
    """The record was made inside one of the given periods of {the_organisation}'s day (the context's time zone)."""

    name = "time_period"
    summary = "made during working time, a session, a break or own time"
    Params = PeriodParams

    def detect(self, ctx: RecordContext) -> list[Evidence]:
        p: PeriodParams = self.params  # type: ignore[assignment]
        period = ctx.period
        if period is None or period.value not in p.periods:
            return []
        at = ctx.record.created_at
        assert at is not None
        when = describe(at, ctx.school)
        return [Evidence(f"made at {when}, in {period.value}", (), 1.0, f"{when} ({period.value})")]


@register
class BreakOffStaffRoom(Detector):
    """Made during a break while on the site somewhere other than the places in the rulebook's
    ``staff_places`` (``terms:``); with none declared it never fires."""

    name = "break_outside_staff_room"
    summary = "during a break, on site but not in one of the staff places"

    def detect(self, ctx: RecordContext) -> list[Evidence]:
        if ctx.period is not Period.break_ or not ctx.on_site_elsewhere:
            return []
        at = ctx.record.created_at
        assert at is not None and ctx.record.location is not None
        place = ctx.record.location.place or ctx.terms.site
        when = describe(at, ctx.school)
        return [Evidence(f"made at {when} (break) from the {place}", (), 1.0, f"{when}, {place}")]


@register
class PublicAudience(Detector):
    """The record is public (audience) or the profile is public (visibility)."""

    name = "public_audience"
    summary = "a public post or a public profile"

    def detect(self, ctx: RecordContext) -> list[Evidence]:
        r = ctx.record
        if r.audience == "public":
            return [Evidence("visible to the public", (), 1.0, "a public post")]
        if r.kind == "profile" and r.profile and r.profile.visibility == "public":
            return [Evidence("the profile is public", (), 1.0, "a public profile")]
        return []


class FriendParams(Params):
    kinds: list[Literal["friend_accept", "friend_invite"]]
    counterparty_roles: list[Role]


@register
class FriendConnection(Detector):
    """A friend request accepted or sent, with a counterparty of the given roles.

    The roster is consulted too, when the record's role for the counterparty is on no roster section
    or the staff one (the rulebook's ``roster:`` on each role): a counterparty whose full name is on
    the roster's protected people (for an author listed with staff) or parents counts as the
    rulebook's first role listed there, even when the export gave no such role.
    """

    name = "friend_connection"
    summary = "a friend request accepted or sent, by the counterparty's role"
    Params = FriendParams

    def detect(self, ctx: RecordContext) -> list[Evidence]:
        p: FriendParams = self.params  # type: ignore[assignment]
        r = ctx.record
        if r.kind not in p.kinds or r.counterparty is None:
            return []
        role: str = r.counterparty.role
        if ctx.compiled.role_sections.get(role) in (None, "staff"):
            role = self._roster_role(ctx, r.counterparty.name) or role
        if role not in p.counterparty_roles:
            return []
        verb = "accepted a friend request from" if r.kind == "friend_accept" else "invited"
        return [Evidence(f"{verb} a {role}", (), 1.0, f"a {role} ({r.counterparty.name})", "person")]

    @staticmethod
    def _roster_role(ctx: RecordContext, name: str) -> str | None:
        """The rulebook's role for a counterparty found by full name on the roster: the first role
        listed under pupils (only for an author listed with staff), else under parents."""
        ms = ctx.compiled.gazetteer.find("counterparty", name)
        full = [m for m in ms if m.variant == "full" and m.end - m.start == len(name.strip())]
        if any(m.entity.kind == "pupil" for m in full) and ctx.author_section == "staff":
            return ctx.compiled.section_role("pupils")
        if any(m.entity.kind == "parent" for m in full):
            return ctx.compiled.section_role("parents")
        return None


@register
class LinksSchoolDomain(Detector):
    """A link (in the text, the links list or a profile's website) to one of {the_organisation}'s domains."""

    name = "links_school_domain"
    summary = "a link to {the_organisation}'s website or domains"

    def detect(self, ctx: RecordContext) -> list[Evidence]:
        ev: list[Evidence] = []
        t = ctx.terms
        texts = {f.name: f.text for f in ctx.own_fields}
        for url, field, start, end in ctx.links:
            host = urlsplit(url if "://" in url else "http://" + url).hostname or ""
            if ctx.compiled.is_school_domain(host):
                spans = (span(field, texts[field], start, end),) if start >= 0 else ()
                ev.append(Evidence(f"links to {t.the_organisation}'s domain ({host})", spans, 1.0, url,
                                   t.organisation))  # fmt: skip
        if not ev:  # a bare "school.example.sch.uk/term-dates" in the text is a link too
            for f in ctx.words:
                for domain in ctx.compiled.domains:
                    at = f.folded.find(domain)
                    if at >= 0 and (at == 0 or f.folded[at - 1] in " (\n") and "@" not in f.folded[max(0, at - 1) : at]:
                        end = at + len(domain)
                        while end < len(f.text) and not f.text[end].isspace():
                            end += 1
                        ev.append(
                            Evidence(
                                f"links to {t.the_organisation}'s domain ({domain})",
                                (span(f.name, f.text, at, end),),
                                0.9,
                                f.text[at:end],
                                t.organisation,
                            )
                        )
        return ev


@register
class SchoolSystems(Detector):
    """Posted over the organisation's network, or from an account with an e-mail address at one of
    its domains."""

    name = "school_systems"
    summary = "over the organisation's network or from an e-mail account at its domains"

    def detect(self, ctx: RecordContext) -> list[Evidence]:
        r = ctx.record
        t = ctx.terms
        ev: list[Evidence] = []
        if r.via and r.via.network == "school":  # FORMATS.md's name for the organisation's own network
            network = f"{t.the_organisation} network"
            ev.append(Evidence(f"posted over {network}", (), 1.0, network))
        for email in (r.via.account_email if r.via else None, r.author.email):
            m = EMAIL_RE.fullmatch(email.strip()) if email else None
            if m and ctx.compiled.is_school_domain(m.group(1)):
                address = f"{with_article(t.organisation)} e-mail address"
                ev.append(Evidence(f"the account uses {address}", (), 1.0, address))
                break
        return ev
