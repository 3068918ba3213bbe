"""What the words of a runbook say: an action or a description, a phase, an alternative,
a point of no return, a placeholder, a time.

The readers decide what a heading, a list or a line *is* from these, so every reader
judges the same text the same way, and each judgement is one small function with its
word list beside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# ---- actions ----------------------------------------------------------------------------------

#: Verbs a runbook's actions start with (imperative, lower case). A line that starts with
#: one is something a person does; a line that does not is usually a description.
_VERBS = """
    abort accept acknowledge activate add adjust allow announce apply approve archive ask
    assign attach audit back backup block book bounce bring build bump call cancel capture
    change check checkout clean cleanup clear clone close collect commit communicate
    compare complete configure confirm connect continue convert copy cordon create cut
    deactivate decommission decrease delete deploy destroy detach disable disconnect
    dispatch document download drain drop dump edit email empty enable end ensure enter
    escalate estimate execute exit export extend fail failover fetch fill finalize fix
    flip flush follow force freeze generate get give go grant halt hand handover identify
    import increase inform initialise initialize inspect install invalidate invoke issue
    join keep kick kill label launch let lift list load lock log login look lower make
    mark merge migrate modify monitor mount move note notify obtain open order pause
    perform pick ping place plug point populate post power prepare press print proceed
    promote provision publish pull purge push put query raise re-enable read reboot
    rebuild receive record recreate redeploy redirect reduce refresh register reindex
    reinstall release reload remove rename renew repeat replace replicate report request
    rerun reset resize resolve restart restore resume retire retry return revert review
    revoke rollback roll rotate run save scale schedule scp sed send set setup share shut
    shutdown sign snapshot ssh start stop submit sudo suspend swap switch sync take tag
    tail teardown tell terminate test tick trigger truncate turn uncordon undo uninstall
    unlock unmount unpause unplug update upgrade upload use vacuum validate verify visit
    wait warm watch wipe write
"""
_MORE_VERBS = """
    backport cherry-pick rebase ask coordinate draft ship land triage file invite host brief
    smoke unset configure click select choose type paste
"""
ACTION_VERBS = frozenset(_VERBS.split()) | frozenset(_MORE_VERBS.split())

#: Leading words that are not the action itself ("Then stop…", "Now run…", "Please…").
_FILLER = frozenset(("then", "now", "next", "finally", "first", "please", "also", "once"))


def first_word(text: str) -> str:
    """The first real word of a line, lower case: past numbering, marks and filler words."""
    words = re.findall(r"[A-Za-z][A-Za-z'\-]*", text)
    while words and words[0].lower() in _FILLER:
        words.pop(0)
    return words[0].lower() if words else ""


def is_action(text: str) -> bool:
    """Whether a line reads as something to do ("Stop the app", "Run `x`", "Then drain…",
    "If you replicate by hand, trigger it now")."""
    if _REMARK.match(text):
        return False
    return first_word(text) in ACTION_VERBS or prose_action(text)


# ---- what a section is ------------------------------------------------------------------------

_ROLLBACK = re.compile(
    r"\b(roll[\s-]?back|back[\s-]?out|fall[\s-]?back|revert(ing)?|undo|abort plan|"
    r"recovery plan|if (it|things|something) go(es)? wrong)\b",
    re.I,
)
_VERIFY = re.compile(
    r"\b(post[\s-]*(cutover|migration|change|go[\s-]*live|upgrade|deploy(ment)?|move|switch)"
    r"|after (the )?(cutover|migration|upgrade|switch|go[\s-]*live)|smoke[\s-]*tests?|"
    r"validation|verification|verify|acceptance|health ?checks?)\b",
    re.I,
)
_GATE = re.compile(r"go\s*/\s*no[\s-]*go|\bgo[\s-]+no[\s-]*go\b|\bdecision point\b", re.I)
_CONTACTS = re.compile(
    r"\b(contacts?|escalation (path|list|matrix|contacts)|phone (list|numbers?)|who to call|"
    r"call list|on[\s-]?call|roles( and responsibilities)?|raci|team members?)\b",
    re.I,
)
_COMMS = re.compile(r"\b(comms|communications?( plan)?|announcements?|stakeholders?)\b", re.I)
#: Headings over text that describes rather than instructs.
_INFO = re.compile(
    r"^\W*(when to|why|method \d+|option \d+|testing .*procedures?|drills?)\b|"
    r"\b(examples?|overview|background|scope|summary|risks?|assumptions|references?|history|"
    r"change ?log|glossary|appendix|lessons( learned)?|purpose|introduction|intro|about|"
    r"out of scope|not covered|links|further reading|see also|faq|troubleshooting|"
    r"known issues|success (metrics|criteria)|metrics|kpis?|sign[\s-]?off|approvals?|"
    r"monitoring tools|tools|dashboards?|architecture|diagram|context|motivation|goals?|"
    r"objectives?|results? in|conclusion|next steps|what('s| is) next|table of contents|"
    r"contents|toc|license|credits|acknowledg(e)?ments|requirements|prerequisites?|"
    r"before you (begin|start)|audience|terminology|definitions|notes?)\b",
    re.I,
)
#: Info headings that still hold things to do before the night (they become steps).
_PREPARATION = re.compile(
    r"\b(prerequisites?|before you (begin|start)|preparation|pre[\s-]*(cutover|migration|"
    r"flight|work|checks?|requisites?)|readiness|requirements)\b",
    re.I,
)


#: Headings that end on these words describe, even when they start like a command
#: ("Release schedule", "Release shepherd responsibilities").
_INFO_TAIL = re.compile(
    r"\b(schedule|responsibilities|process|policy|strategy|cadence|calendar|matrix|"
    r"principles|guidelines|conventions|criteria|triggers|overview|notes)\W*$",
    re.I,
)


#: Headings that say what the section is about before anything else: when or why to do
#: something, the ways one could, how to practise it, reference material.
_ABOUT = re.compile(
    r"^\W*(when to|when should|why\b|testing\b.*\b(procedures?|rollbacks?)|drills?|appendix|"
    r"reference)|\b(decision matrix|drills?)\W*$",
    re.I,
)
#: Headings over the ways one could do something: the steps, if the document has no others.
_WAYS = re.compile(
    r"^\W*(methods?\b|options?\b|approaches\b|alternatives\b)|"
    r"\b(methods|approaches|alternatives|options)\W*$",
    re.I,
)


def is_about(title: str) -> bool:
    """Whether a heading introduces material about the work (when, why, ways, reference),
    so nothing under it is a step either."""
    return bool(_ABOUT.search(title))


def section_kind(title: str) -> str:
    """What a heading's section holds: steps, rollback, verification, gate, contacts,
    comms, info or preparation (steps that come before the window)."""
    if _ABOUT.search(title):
        return "info"
    if _WAYS.search(title):
        return "ways"
    if _INFO_TAIL.search(title) and not _GATE.search(title):
        return "info"
    if _GATE.search(title):
        return "gate"
    if _ROLLBACK.search(title) and not re.search(r"\bno[\s-]+rollback\b", title, re.I):
        return "rollback"
    if _CONTACTS.search(title):
        return "contacts"
    if _COMMS.search(title) and not is_action(title):
        return "comms"
    if _PREPARATION.search(title):
        return "preparation"
    if _VERIFY.search(title) and not is_action(title):
        return "verification"
    if _INFO.search(title) and not is_action(title):
        return "info"
    return "steps"


#: Phases of a night, as headings name them (a heading that is a phase is never a step).
_PHASE = re.compile(
    r"^\W*(phase|stage|part|day|week|step group|section|milestone|wave)\b|"
    r"\b(preparation|prep|pre[\s-]*cutover|cutover|post[\s-]*cutover|go[\s-]*live|"
    r"hypercare|execution|wrap[\s-]*up|clean[\s-]*up|the night|window|procedure|"
    r"runbook|checklist|steps|tasks|activities|plan)\s*[:.]?\s*$|^\W*T\s*[-+−–]\s*\d",
    re.I,
)


def is_phase_title(title: str) -> bool:
    """Whether a heading names a part of the night rather than one thing to do."""
    return bool(_PHASE.search(title))


# ---- lead-ins that introduce lists that are not steps -----------------------------------------

_DESCRIPTIVE_LEAD = re.compile(
    r"\b(at a high level|in summary|overview of|the steps (you perform|are)|in short|"
    r"this (process|guide|page) (consists|covers|describes)|results? in|will (have|get|be)|"
    r"you (will|should) (have|see|get)|is not covered|"
    r"are not covered|not covered|covers|includes?|consists? of|such as|for example|e\.g\.|"
    r"following (tools|metrics|services|components|systems|dashboards|people|teams)|"
    r"we use|are used|is used|metrics|assumes?|assumptions|requirements|you need|"
    r"you'll need|needed|benefits|features|advantages|limitations|caveats|goals?)\b",
    re.I,
)


_SEQUENCE_LEAD = re.compile(
    r"\b(in (this|the following) (order|sequence)|following this (sequence|order)|"
    r"in order:|one by one|each of the following)\b",
    re.I,
)


def introduces_sequence(text: str) -> bool:
    """Whether a paragraph says to act on each item of the list that follows, in order
    ("update the control plane following this sequence:")."""
    return bool(_SEQUENCE_LEAD.search(text))


_PROSE_ACTION = re.compile(
    r"^\W*(?:(?:then|next|now|finally|afterwards|additionally|also|at this point|"
    r"please(?: be sure to)?|be sure to|make sure to|remember to|once [^,]{1,80},|"
    r"for [^,]{1,80},|after [^,]{1,80},|when [^,]{1,80},|if [^,]{1,80},|"
    r"on the [^,:]{1,40}[,:]|in the [^,:]{1,40}[,:])[,:]?\s+){0,3}"
    r"(?:you (?:should|must|need to|have to|can now|will need to)\s+)?(?P<verb>[a-z\-]+)\b",
    re.I,
)
#: Remarks that start like an action: "Note that …", "Notice: …".
_REMARK = re.compile(r"^\W*(note|notice|remember|keep in mind)\b\s*(that\b|:)", re.I)


def prose_action(text: str) -> bool:
    """Whether a sentence tells the reader to do something ("At this point you should
    install…", "For each node, drain it…", "Then run…")."""
    if _REMARK.match(text):
        return False
    match = _PROSE_ACTION.match(text)
    return match is not None and match.group("verb").lower() in ACTION_VERBS


def introduces_description(text: str) -> bool:
    """Whether a paragraph ending in ':' introduces a list of facts rather than actions."""
    return bool(_DESCRIPTIVE_LEAD.search(text))


# ---- output shown, not typed ---------------------------------------------------------------------

_OUTPUT_LEAD = re.compile(
    r"\b(output|error|errors|should see|you will see|will show|shows|will print|prints|"
    r"status conditions?|a condition|log lines?|logs show|response|message looks)\b",
    re.I,
)


def introduces_output(text: str) -> bool:
    """Whether a paragraph introduces what a command prints (an error, an example
    output) rather than a command to type."""
    return bool(_OUTPUT_LEAD.search(text)) and not is_action(text)


# ---- alternatives -----------------------------------------------------------------------------

_ALTERNATIVE = re.compile(
    r"^\W*(alternatively|optionally|or(,| else| instead)?|otherwise|instead|as an alternative|"
    r"option [a-z0-9]\b|if you (do not|don't|can ?not|can't|have|are|use|prefer|want)|"
    r"if (that|this) (fails|does not work|doesn't work)|in case)\b",
    re.I,
)


def is_alternative(text: str) -> bool:
    """Whether a line offers another way ("Alternatively, …", "If you do not have SSH…")."""
    return bool(_ALTERNATIVE.search(text))


# ---- checks -----------------------------------------------------------------------------------

_CHECK = re.compile(
    r"^\W*(verify|check|confirm|ensure|make sure|validate|expect(ed)?|should|must|"
    r"test|look for|see that|watch for|is |are |has |have |no |all )|"
    r"\b(should (be|show|return|see|report|read)|returns?|shows?|is (up|running|healthy|"
    r"green|empty|ok)|succeeds?|passes|reports?)\b",
    re.I,
)


_STATE = re.compile(
    r"\b(shows?|is|are|has|have|returns?|matches|match|rings?|arrives?|opens?|works?|"
    r"succeeds?|passes|reads?|lists?|contains?|exists?|responds?|resolves?|loads?|"
    r"reports?|stays?|remains?)\b",
    re.I,
)


def states(text: str) -> bool:
    """Whether a line states a fact ("Export file opens", "DNS resolves to …")."""
    return bool(_STATE.search(text))


def is_check(text: str) -> bool:
    """Whether a line says what must be true (a verify item) rather than what to do."""
    return bool(_CHECK.search(text))


# ---- the point of no return -------------------------------------------------------------------

#: Written markers: the source says so itself.
PONR_SAID = re.compile(
    r"point[\s-]+of[\s-]+no[\s-]+return|\bPONR\b|\bno way back\b|\bno going back\b",
    re.I,
)
#: Words that make a step a candidate: proposed, marked as a guess, never decided.
#: Words that make a step a candidate, strongest first: proposed, marked as a guess, never
#: decided. A step that says it cannot be undone beats one that only promotes something.
_PONR_GUESSES = (
    re.compile(
        r"\b(cannot be (rolled back|undone|reverted)|can ?not be (rolled back|undone)|"
        r"can't be (rolled back|undone)|irreversible|irrevocabl[ey]|not reversible|"
        r"permanent(ly)?|one[\s-]way|destructive|data loss|lose data|treated as lost)\b",
        re.I,
    ),
    re.compile(
        r"^\W*shut ?down\b|\b(promote|promotion|decommission|"
        r"drop (the )?(old|source|table|database|schema)|"
        r"delete (the )?(old|source|original)|destroy|wipe|shut ?down (the )?"
        r"(old|source|primary|cluster|database)|disable (the )?(old|primary|source)|"
        r"flip (the )?dns|"
        r"(switch|cut) ?over|go[\s-]live)\b",
        re.I,
    ),
)


def ponr_reason(text: str, strength: int = 0) -> str | None:
    """The words that make `text` a point-of-no-return candidate of this `strength` (0:
    says it cannot be undone; 1: does something that usually cannot be), or None."""
    for match in _PONR_GUESSES[strength].finditer(text):
        if not _NEGATED.search(text[max(0, match.start() - 40) : match.start()]):
            return match.group(0)
    return None


#: "to prevent further data loss", "without data loss": the opposite of a point of no return.
_NEGATED = re.compile(
    r"\b(prevent|preventing|avoid|avoiding|without|no|minimi[sz]e)\b[^.;]*$", re.I
)


#: How many strengths of point-of-no-return words there are.
PONR_STRENGTHS = len(_PONR_GUESSES)


# ---- placeholders -----------------------------------------------------------------------------

_PLACEHOLDER = re.compile(
    r"\[(?:[A-Z][A-Z0-9]*(?:[ _\-][A-Z0-9]+)+|[A-Z]{3,})\]"  # [RELEASE TAG], [HOST]
    r"|<(?:your|the|new|old|my)[\w\- ]{0,40}>|<[a-z]+(?:[_\-][a-z0-9]+)+>"  # <new-host>
    r"|\{\{\s*[\w.\-]+\s*\}\}"  # {{ version }}
    r"|\b(?:XXX+|TBD|TBC|TODO|FIXME|YYYY-MM-DD|HH:MM)\b"
)


def placeholders(text: str) -> list[str]:
    """Placeholders the source left to fill in ("[RELEASE TAG]", "<new-host>", "TBD")."""
    found: list[str] = []
    for match in _PLACEHOLDER.finditer(text):
        if match.group(0) not in found:
            found.append(match.group(0))
    return found


# ---- timing -----------------------------------------------------------------------------------

#: A T-minus / D-day offset as written: 'T-48h', 'T - 60 Minutes', 'T+0', 'D-1', 'T-60'
#: (a bare number counts in minutes after T, in days after D).
_OFFSET = (
    r"(?P<base>\b[TD])(?:\s*(?P<sign>[+\-−–])\s*(?P<value>\d{1,4}(?:[.,]\d+)?)\s*"
    r"(?P<unit>m|mn|min|mins|minutes?|h|hr|hrs|hours?|d|days?|w|wks?|weeks?)?\.?"
    r"|\s*[-−–]?\s*(?:0|day))(?![\w])"
)
_T_MINUS = re.compile(_OFFSET, re.I)


@dataclass(frozen=True, slots=True)
class Timing:
    """When the source says something happens, relative to the go-live (T-0 or D-day)."""

    text: str  # as written: "T-60 Minutes"
    minutes: int  # negative before T-0
    fine: bool  # written in minutes (or T-0): precise enough to time a step by


def find_timing(text: str, *, whole: bool = False) -> Timing | None:
    """A T-minus / T-plus / D-day offset written in `text` ("T-48h", "T-60 Minutes",
    "T+2d", "D-1"); with `whole`, only when that is all the text says."""
    match = _T_MINUS.fullmatch(text.strip()) if whole else _T_MINUS.search(text)
    if match is None:
        return None
    day_based = match.group("base").upper() == "D"
    if match.group("value") is None:
        return Timing(match.group(0).strip(), 0, not day_based)
    unit = (match.group("unit") or ("d" if day_based else "m")).lower()
    unit = "m" if unit.startswith("mn") else unit[0]
    scale = {"m": 1, "h": 60, "d": 24 * 60, "w": 7 * 24 * 60}[unit]
    minutes = round(float(match.group("value").replace(",", ".")) * scale)
    if match.group("sign") != "+":
        minutes = -minutes
    return Timing(match.group(0).strip(), minutes, unit == "m")


#: "none — export only", "n/a", "no rollback needed": a step that needs no undo, and why.
NO_ROLLBACK = re.compile(
    r"^(none|n/?a|-|not needed|no rollback( needed)?|nothing( to undo)?)\b"
    r"[\s:—\-–,;.]*(?P<rest>.*)$",
    re.I,
)


#: Durations that are not how long a step takes: how often, how long after, a deadline.
_NOT_A_DURATION = re.compile(
    r"\b(every|each|after|within|before|older than|per|in the (last|past|next)|up to|"
    r"at least|no more than|for the next|retention|ttl|timeout|interval|later|ago|"
    r"hypercare|until)\s*(?:about\s*|~\s*)?$",
    re.I,
)


def is_duration_context(before: str) -> bool:
    """Whether the words before a duration make it a step's length (not "every 5 minutes")."""
    return not _NOT_A_DURATION.search(before)
