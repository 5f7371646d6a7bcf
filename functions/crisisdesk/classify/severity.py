"""Severity SEV1 (most urgent) .. SEV4 from content and reach.

SEV1: safety/injury or health emergency, data leak with reach, or a negative post going viral.
SEV2: legal threat, discrimination, health, data leak, or a negative post by a high-reach
author / with many retweets. SEV3: other negative feedback, PII posted in public, some reach.
SEV4: everything else. Reach raises a level (SEV2 -> SEV1, SEV3 -> SEV2).
"""

from __future__ import annotations

from .keywords import Rule, TextView

SEVERITIES: tuple[str, ...] = ("SEV1", "SEV2", "SEV3", "SEV4")
HIGH_REACH_FOLLOWERS = 10_000
VIRAL_RETWEETS = 1_000
MANY_RETWEETS = 100
SOME_RETWEETS = 10

_SAFETY_RE = Rule(
    "safety",
    r"\b(?:injur\w*|bleed\w*|ambulance|paramedic\w*|emergency landing|unsafe|dangerous|"
    r"caught fire|engine fire|smoke in|"
    r"(?:plane|car|bus|train) crash\w*|crash[- ]?land\w*|crashed into|collision|"
    r"assault\w*|attacked|evacuat\w*|"
    r"near[- ]miss|fell (?:down|over)|collapsed|seizure|heart attack|anaphyla\w*|"
    r"allergic reaction|weapon|bomb threat|security threat|fumes|electrocut\w*|"
    r"(?:got|was|were|am|been|is) hurt|hurt (?:my|his|her|their))\b",
)
_HEALTH_RE = Rule(
    "health",
    r"\b(?:food poisoning|(?:got|get|getting|feel|feeling|felt|was|am|became|is) (?:sick|ill)|"
    r"vomit\w*|hospital\w*|medical|medication|medicine|insulin|"
    r"diabet\w*|pregnan\w*|wheelchair|oxygen|epipen|doctor|er visit)\b",
)
_LEGAL_RE = Rule(
    "legal",
    r"\b(?:lawyers?|attorneys?|sue|suing|lawsuit|legal action|court|small claims|class action|"
    r"litigation|report(?:ing)? (?:you|this) to (?:the )?(?:faa|dot|ftc|bbb|authorities|regulator)"
    r"|(?:faa|dot|ftc|bbb|ombudsman) complaint)\b",
)
_DISCRIM_RE = Rule(
    "discrim",
    r"\b(?:racis[mt]\w*|discriminat\w*|racial(?:ly)? profil\w*|profiled|sexis[mt]\w*|"
    r"homophob\w*|transphob\w*|islamophob\w*|antisemit\w*|xenophob\w*|bigot\w*|"
    r"because (?:i'?m|i am|we'?re|we are|she'?s|he'?s) (?:black|muslim|jewish|gay|trans|disabled|"
    r"a woman|pregnant|old|asian|latin[oa]|hispanic)|ada violation)\b",
)
_LEAK_RE = Rule(
    "leak",
    r"\b(?:data (?:breach|leak)|leak(?:ed)? (?:my|our|customer)|breach|hacked|"
    r"(?:my|our) (?:personal )?(?:data|information|info|details) (?:was |were |is |got )?"
    r"(?:exposed|leaked|shared|stolen|sold)|someone else'?s "
    r"(?:booking|boarding pass|account|details|"
    r"data|order|reservation)|identity theft|privacy violation)\b",
)


def assess(
    text: str | TextView,
    *,
    negative: bool,
    followers: int | None,
    verified: bool | None,
    retweets: int | None,
    has_pii: bool,
) -> tuple[str, tuple[str, ...]]:
    """Return (severity, reasons) for one item."""
    view = text if isinstance(text, TextView) else TextView(text)
    reasons: list[str] = []
    level = 4
    if view.keys:  # no rule trigger among the words: no content reason
        if _SAFETY_RE.search(view):
            reasons.append("safety")
            level = 1
        if _LEAK_RE.search(view):
            reasons.append("data_leak")
            level = min(level, 2)
        if _LEGAL_RE.search(view):
            reasons.append("legal_threat")
            level = min(level, 2)
        if _DISCRIM_RE.search(view):
            reasons.append("discrimination")
            level = min(level, 2)
        if _HEALTH_RE.search(view):
            reasons.append("health")
            level = min(level, 2)
    if negative:
        reasons.append("negative")
        level = min(level, 3)
    if has_pii:
        reasons.append("pii_in_public")
        level = min(level, 3)
    rt = retweets or 0
    high_reach = bool(verified) or (followers or 0) >= HIGH_REACH_FOLLOWERS
    if high_reach:
        reasons.append("high_reach_author")
    if rt >= VIRAL_RETWEETS:
        reasons.append("viral")
    elif rt >= MANY_RETWEETS:
        reasons.append("many_retweets")
    elif rt >= SOME_RETWEETS:
        reasons.append("retweets")
    if level <= 3:  # reach only escalates something that matters
        if rt >= VIRAL_RETWEETS and negative:
            level = 1
        elif high_reach or rt >= MANY_RETWEETS:
            level = max(1, level - 1)
        elif rt >= SOME_RETWEETS and level == 3 and negative:
            level = 3
    elif rt >= MANY_RETWEETS:
        level = 3
    return SEVERITIES[level - 1], tuple(reasons)
