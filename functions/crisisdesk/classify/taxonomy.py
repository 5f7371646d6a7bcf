"""Feedback category taxonomy (brand- and industry-neutral).

| id | covers |
| --- | --- |
| delays_cancellations | late, delayed, cancelled, rescheduled, missed services/orders/deliveries |
| baggage | luggage, parcels, belongings lost, damaged, delayed or left in the brand's care |
| booking_refunds | reservations, orders, changes, tickets, refunds, vouchers, compensation |
| staff_service | staff conduct, support queues, hold times, unanswered contacts, lines |
| product_quality | the product/service itself: seats, food, wifi, cleanliness, broken items |
| safety | injury, accidents, unsafe conditions, security threats, health emergencies |
| billing | charges, fees, double/over-charging, invoices, payment cards, prices |
| website_app | website, app, account, login, password, online check-in, digital outages |
| other | anything else: general comments, news, praise without a topic, unclear |

The first five are learned from labelled complaint reasons; safety, billing and website_app
come from keyword rules that take precedence (they are rare or absent in training data).
"""

from __future__ import annotations

from .keywords import Rule, TextView

CATEGORIES: tuple[str, ...] = (
    "delays_cancellations",
    "baggage",
    "booking_refunds",
    "staff_service",
    "product_quality",
    "safety",
    "billing",
    "website_app",
    "other",
)

# Categories the linear model predicts; "other" stands for unclear complaints.
MODEL_CATEGORIES: tuple[str, ...] = (
    "delays_cancellations",
    "baggage",
    "booking_refunds",
    "staff_service",
    "product_quality",
    "other",
)

# Training-data complaint reasons (airline set) mapped onto the neutral taxonomy.
REASON_TO_CATEGORY: dict[str, str] = {
    "Late Flight": "delays_cancellations",
    "Cancelled Flight": "delays_cancellations",
    "Lost Luggage": "baggage",
    "Damaged Luggage": "baggage",
    "Flight Booking Problems": "booking_refunds",
    "Customer Service Issue": "staff_service",
    "Flight Attendant Complaints": "staff_service",
    "longlines": "staff_service",
    "Bad Flight": "product_quality",
    "Can't Tell": "other",
}

SAFETY_RE = Rule(
    "safety",
    r"\b(?:injur\w*|hurt|bleed\w*|ambulance|paramedic\w*|emergency|unsafe|dangerous|danger|"
    r"smoke|caught fire|engine fire|fire alarm|"
    r"(?:plane|car|bus|train) crash\w*|crash[- ]?land\w*|crashed into|collision|"
    r"assault\w*|attacked|evacuat\w*|near[- ]miss|"
    r"fell (?:down|over)|collapsed|seizure|heart attack|anaphyla\w*|allergic reaction|"
    r"weapon|gun|bomb|security threat|fumes|explod\w*|electrocut\w*|"
    r"burn(?:ed|t|s)? (?:my|his|her))\b",
)
BILLING_RE = Rule(
    "billing",
    r"\b(?:charg(?:e|ed|es|ing)|overcharg\w*|double[- ]?charg\w*|fees?|invoice\w*|bill(?:ed|ing)?|"
    r"credit card|debit card|payment\w*|pric(?:e|es|ing)|paid twice|bank statement|"
    r"subscription|auto[- ]?renew\w*|hidden cost\w*)\b",
)
WEBSITE_APP_RE = Rule(
    "website_app",
    r"\b(?:website|web ?site|site (?:is )?down|app|apps|login|log in|sign in|password|"
    r"account locked|online check[- ]?in|error message|error code|crash(?:es|ing) (?:app|site)|"
    r"outage)\b",
)


def rule_category(text: str | TextView) -> str | None:
    """Rule-based categories that override the model (safety > billing > website_app)."""
    view = text if isinstance(text, TextView) else TextView(text)
    if not view.keys:
        return None
    if SAFETY_RE.search(view):
        return "safety"
    if BILLING_RE.search(view):
        return "billing"
    if WEBSITE_APP_RE.search(view):
        return "website_app"
    return None
