"""Category taxonomy and the phrases that name a customer's specific problem."""

from __future__ import annotations

import re

# One taxonomy: the classifier's.
from crisisdesk.classify.taxonomy import CATEGORIES

_MODE = re.compile(r"\b(flight|train|bus|coach|ferry|tram|service|delivery|order)s?\b", re.I)
_ITEM = re.compile(
    r"\b(phone|laptop|tablet|headphones|tv|order|parcel|package|meal|food|pizza|coffee|item|"
    r"product|charger|shoes|jacket|device|router|fridge|washing machine|kettle|sofa|mattress|"
    r"bike|car|app|box|delivery)\b",
    re.I,
)

# Ordered (pattern, phrase) pairs per category: the first pattern found in the customer's text
# picks the phrase. {mode} and {item} are filled from the text.
_SPECIFIC: dict[str, tuple[tuple[str, str], ...]] = {
    "delays_cancellations": (
        (r"missed\s+(?:my\s+|our\s+|the\s+)?connect", "the missed connection"),
        (r"cancel", "your cancelled {mode}"),
        (r"stuck|stranded|sat\s+on|sitting\s+on|tarmac", "being stuck waiting"),
        (r"divert", "the diversion"),
        (r"overbook|bumped|denied\s+boarding", "being bumped from your {mode}"),
        (r"delay|late|waiting|hours", "the delay to your {mode}"),
    ),
    "baggage": (
        (
            r"lost|missing|never\s+arrived|didn't\s+arrive|hasn't\s+arrived|no\s+bag|where\s+is",
            "your missing bag",
        ),
        (r"damag|broken|smashed|ripped|torn|wheel", "the damage to your bag"),
        (r"stolen|opened|theft|taken", "the items missing from your bag"),
        (r"fee|charge|pay", "the baggage charge"),
        (r"wait|carousel|belt|hours|slow", "the long wait for your bag"),
    ),
    "booking_refunds": (
        (r"refund", "your refund"),
        (r"voucher|credit", "your voucher"),
        (r"seat", "your seat booking"),
        (r"name|spelling", "the details on your booking"),
        (r"change|rebook|amend", "changing your booking"),
        (r"website|app|online|error|crash", "the booking error online"),
        (r"booking|reservation|ticket", "your booking"),
    ),
    "staff_service": (
        (r"rude|shout|yell|attitude|disrespect|laugh", "how you were treated"),
        (r"hold|queue|wait|line|hours", "the long wait"),
        (r"ignor|no\s+one|nobody|no\s+help|unhelpful", "not getting the help you needed"),
        (r"call|phone|chat|email", "your experience with our support team"),
    ),
    "product_quality": (
        (r"broken|broke|faulty|stopped\s+working|doesn't\s+work|dead|crack", "the faulty {item}"),
        (r"cold|stale|undercooked|raw|burnt|soggy", "the {item} that arrived in that state"),
        (r"wrong|incorrect|not\s+what\s+i\s+ordered", "receiving the wrong {item}"),
        (r"missing|incomplete|forgot", "the missing items from your {item}"),
        (r"damag|dent|smashed|ripped|torn", "the damaged {item}"),
        (r"crash|bug|glitch|log|update", "the problems with our {item}"),
    ),
    "safety": (
        (r"allerg|nut|gluten|ill|sick|poison", "the health concern you raised"),
        (r"fire|smoke|burning|spark", "what you saw and smelled"),
        (r"injur|hurt|fell|slip|trip", "your injury"),
        (r"crowd|crush|overcrowd", "the overcrowding"),
    ),
    "billing": (
        (r"twice|double|duplicate|two\s+charges", "the double charge"),
        (r"overcharg|too\s+much|higher|increase|went\s+up", "the higher charge than you expected"),
        (r"direct\s+debit|debit|payment\s+failed|declined", "the payment problem"),
        (r"bill|invoice|statement", "your bill"),
        (r"charge|charged|fee", "the charge you don't recognise"),
    ),
    "website_app": (
        (r"\bapp\b", "the problem with our app"),
        (r"log ?in|password|account", "the trouble signing in"),
        (r"website|site|online|check.?in", "the problem with our website"),
    ),
    "other": (),
}

_GENERIC: dict[str, tuple[str, ...]] = {
    "delays_cancellations": (
        "the disruption to your journey",
        "the delay",
        "the disruption to your plans",
    ),
    "baggage": ("the problem with your bag", "your baggage", "what happened with your bag"),
    "booking_refunds": (
        "the problem with your booking",
        "your booking",
        "the trouble with your booking",
    ),
    "staff_service": (
        "the service you received",
        "your experience with our team",
        "how this was handled",
    ),
    "product_quality": (
        "the problem with your {item}",
        "your {item}",
        "the quality of your {item}",
    ),
    "safety": (
        "the safety concern you raised",
        "what you reported",
        "the safety issue you flagged",
    ),
    "billing": ("the problem with your bill", "the billing issue", "the charge on your account"),
    "website_app": ("the problem with our website", "the online issue", "the app trouble"),
    "other": ("what happened", "the issue you raised", "your experience"),
}

# How a public update names the situation, by category.
SITUATION: dict[str, tuple[str, ...]] = {
    "delays_cancellations": (
        "the disruption to services",
        "today's delays and cancellations",
        "the service disruption",
    ),
    "baggage": (
        "the baggage delays",
        "the problem with baggage handling",
        "the baggage disruption",
    ),
    "booking_refunds": (
        "the booking and refund problems",
        "the issue affecting bookings",
        "the booking problems",
    ),
    "staff_service": (
        "the service problems customers have raised",
        "the issues with our customer service",
    ),
    "product_quality": ("the product issue customers have reported", "the quality issue"),
    "safety": ("the safety concern", "the safety issue reported to us"),
    "billing": (
        "the billing issue",
        "the problem affecting payments and bills",
        "the billing problem",
    ),
    "website_app": ("the problem with our website and app", "the online service issue"),
    "other": (
        "the issue customers have reported",
        "the current issue",
        "the problem affecting customers",
    ),
}


def normalise_category(category: str) -> str:
    """Map a category to the taxonomy; unknown ones are treated as "other"."""
    key = (category or "").strip().lower().replace("-", "_").replace(" ", "_")
    return key if key in CATEGORIES else "other"


def problem_phrase(category: str, text: str, pick: int) -> str:
    """Name the customer's problem in our own words; never echo their text, which may hold PII."""
    cat = normalise_category(category)
    lowered = (text or "").lower()
    mode_match = _MODE.search(lowered)
    mode = mode_match.group(1).lower() if mode_match else "journey"
    item_match = _ITEM.search(lowered)
    item = item_match.group(1).lower() if item_match else "order"
    for pattern, phrase in _SPECIFIC[cat]:
        if re.search(pattern, lowered):
            return phrase.format(mode=mode, item=item)
    options = _GENERIC[cat]
    return options[pick % len(options)].format(mode=mode, item=item)
