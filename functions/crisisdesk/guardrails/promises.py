"""Promise rule: guarantees, deadlines, compensation and outcomes without an approved commitment."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from crisisdesk.guardrails._text import Clause, clauses, stem, words, wordset
from crisisdesk.guardrails.model import Commitment, Violation

_I = re.I
_NUM_WORD = (
    r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve|a\s+few|"
    r"a\s+couple\s+of|several)"
)
_DAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
_UNIT = (
    r"(?:minutes?|mins?|hours?|hrs?|days?|business\s+days?|working\s+days?|weeks?|months?|"
    r"the\s+hour|the\s+day|the\s+week)"
)

DEADLINE = re.compile(
    rf"\b(?:by|before|until|no\s+later\s+than)\s+(?:the\s+end\s+of\s+(?:the\s+)?(?:day|week|month|today|"
    rf"tomorrow|weekend)|end\s+of\s+(?:day|week|play|business)|eod|cob|close\s+of\s+business|"
    rf"(?:this|tomorrow|next)\s+\w+|tonight|tomorrow|today|noon|midday|midnight|lunchtime|christmas|"
    rf"the\s+weekend|{_DAY}|\d{{1,2}}(?:[:.]\d{{2}})?\s*(?:am|pm)|\d{{1,2}}[:.]\d{{2}}|"
    rf"(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th)\b|{_MONTH})"
    rf"|\bwithin\s+(?:the\s+next\s+|the\s+|about\s+|around\s+|roughly\s+)?(?:{_NUM_WORD}\s*(?:-\s*)?)?{_UNIT}\b"
    rf"|\bin\s+(?:the\s+next\s+|about\s+|around\s+|roughly\s+|less\s+than\s+|under\s+|just\s+|only\s+)?"
    rf"{_NUM_WORD}\s*(?:-\s*)?(?:minutes?|mins?|hours?|hrs?|days?|weeks?)\b"
    rf"|\b(?:today|tonight|tomorrow(?:\s+(?:morning|afternoon|evening|night))?|this\s+(?:morning|"
    rf"afternoon|evening|week|weekend|{_DAY})|(?:next|this\s+coming|coming)\s+(?:week|month|{_DAY})|{_DAY}|later\s+today|right\s+away|straight\s+away|"
    rf"immediately|asap|overnight|from\s+tomorrow|same[-\s]day|on\s+{_DAY})\b",
    _I,
)

_GUARANTEE = re.compile(r"\bguarantee(?:s|d|ing)?\b", _I)
# A named policy ("our price match guarantee covers ...", "the 'freshness guarantee' label")
# describes terms; it does not guarantee this customer an outcome.
_GUARANTEE_NAME = re.compile(
    r"\b(?!(?:we|i|can|will|fully|personally|absolutely|and|to|do|also|100)\b)[a-z][\w-]*['’\"]?\s+"
    r"['‘\"]?[a-z][\w-]*\s+guarantee['’\"]?\s+(?:label\s+|scheme\s+|policy\s+)?(?:covers?|applies|apply|"
    r"refers|means|only|does|doesn't|is|isn't|was|wasn't|has|lets|allows|terms|page)\b",
    _I,
)
# A short quoted phrase: quoting "guaranteed next day" back to a customer guarantees nothing.
_QUOTED = re.compile(r"[\"“‘'][^\"“”‘’']{1,40}[\"”’']")
# A call or visit booked for a precise time ("we'll call you at 3pm today", "an engineer will
# visit on Friday") is an appointment the customer holds us to. Reply and update times ("we'll
# reply within two working days", "next update by 15:00") are communication, not outcomes.
_CONTACT_DEADLINE = re.compile(r"\b(?:call|ring|phone|visit)\s+(?:you\s+)?(?:back\s+)?", _I)
_PRECISE_TIME = re.compile(
    rf"^(?:[\w']+\s+){{0,4}}?(?:(?:at|by|before)\s+\d{{1,2}}(?:[:.]\d{{2}})?\s*(?:am|pm)?\b|"
    rf"within\s+(?:the\s+next\s+)?(?:{_NUM_WORD}\s*(?:-\s*)?)?(?:minutes?|mins?|hours?|hrs?|"
    rf"days?|business\s+days?|working\s+days?)\b|(?:on\s+|by\s+|this\s+)?{_DAY}\b|"
    rf"in\s+(?:the\s+next\s+)?{_NUM_WORD}\s*(?:minutes?|mins?|hours?|hrs?)\b)",
    _I,
)
_PROMISE_WORD = re.compile(
    r"\b(?:you\s+have\s+)?(?:our|my)\s+word\b|\bwe\s+give\s+you\s+our\s+word\b|"
    r"\b(?:we|i)\s+(?:[\w']+\s+)?promise\b|\bpromise\s+(?:you|that|to|it)\b|,\s*(?:we\s+)?promise\b|"
    r"\bour\s+promise\b|\bwe\s+promise\b",
    _I,
)
_NEVER_AGAIN = re.compile(
    r"\bnever\s+(?:[\w']+\s+){0,3}?again\b|\b(?:won't|wont|will\s+not|will\s+never|shall\s+not|"
    r"isn't\s+going\s+to|is\s+not\s+going\s+to|won't\s+ever)\s+(?!(?:need|have)\s+to\b)"
    r"(?:[\w']+\s+){0,6}?again\b|"
    r"\bever\s+happens?\s+again\b|(?:will|'ll|shall)\s+(?:\w+\s+)?(?:make\s+sure|ensure)\s+(?:[\w']+\s+)"
    r"{0,3}?(?:doesn't|does\s+not|never|won't|can't|cannot|isn't)\s+(?:[\w']+\s+){0,2}?again\b|"
    # "we'll make sure it's always in stock from now on": a standing guarantee.
    r"(?:will|'ll|shall)\s+(?:\w+\s+)?(?:make\s+sure|ensure)\s+(?:[\w']+\s+){0,4}?(?:always|every\s+time)\b",
    _I,
)
_COMPENSATION = re.compile(
    r"\bfull\s+refunds?\b|\b(?:i've|we've|i\s+have|we\s+have)\s+(?:\w+\s+)?waived\b|\b(?:take|knock|wipe|strike)\s+(?:the\s+|that\s+|this\s+|your\s+)?"
    r"(?:[\w-]+\s+){0,2}?(?:fee|charge|cost|fine|amount|bill)s?\s+off\b|\b(?:the\s+)?full\s+(?:amount|cost|fare|price|sum)\b(?!\s+(?:was|were|had|has))|\brefund(?:ed|s)?\s+(?:[\w']+\s+){0,3}in\s+full\b|\b(?:reimburs|compensat|pay|paid|"
    r"cover)\w*\s+(?:[\w']+\s+){0,4}in\s+full\b|\bmoney\s+back\b|\bfree\s+(?:of\s+charge|flights?|nights?|"
    r"stays?|meals?|drinks?|upgrades?|months?|year|delivery|replacements?|tickets?|travel|vouchers?|"
    r"repairs?|rides?|coffee|desserts?|orders?|seats?|bags?|checked\s+bags?|night's|room|lounge|"
    r"shipping|of\s+cost)\b|\bfor\s+free\b|\b(?:entitled|eligible)\s+(?:to|for)\s+(?:a\s+|an\s+|full\s+|"
    r"some\s+)?(?:refund|compensation|reimbursement|voucher|credit|payment|money|care|\S*\d)|"
    r"\b(?:you're|you\s+are)\s+(?:owed|due)\s+(?:a\s+|an\s+)?(?:refund|compensation|\S*\d)|"
    r"\bout\s+of\s+pocket\b|\b(?:a|one|two|three|\d+)\s+(?:months?|weeks?|nights?|days?|years?)\s+free\b"
    r"|\bon\s+the\s+house\b|\b(?:meal|drinks?|dinner|lunch|breakfast|coffee|tea|stay|night|order|round|"
    r"dessert|pizza|ticket|upgrade|taxi|cab|ride|delivery|bill|visit|treat|booking|one)(?:\s+\w+){0,3}?"
    r"(?:'s|\s+is|\s+are|\s+will\s+be|'ll\s+be)\s+on\s+us\b|"
    r"\bat\s+no\s+(?:extra\s+|additional\s+)?(?:cost|charge)\b|\bno\s+(?:extra\s+)?charge\b|"
    r"\bwithout\s+charge\b|\bcosts?\s+you\s+nothing\b|"
    r"\b(?:won't|will\s+not|wont|shan't)\s+(?:\w+\s+)?(?:be\s+(?:charged|billed|"
    r"invoiced)|pay\s+(?:a\s+penny|a\s+cent|anything|a\s+thing|for)|have\s+to\s+pay|lose\s+"
    r"(?:your|any|out))\b|"
    # goodwill extras: "added 1,000 coins", "10GB free", "a complimentary stay", "comp your room"
    r"\b(?:added|credited|gifted|given\s+you|sent\s+you|topped\s+up)\s+(?:you\s+|your\s+\w+\s+)?(?:an?\s+"
    r"extra\s+)?[\d,.]+\s*(?:\w+\s+)?(?:coins|gems|credits?|points|gb|mb|minutes|tokens|miles|data)\b|"
    r"\b[\d,.]+\s*(?:gb|mb|minutes|coins|gems|credits|points)\s+(?:\w+\s+)?free\b|\bcomplimentary\b|"
    r"\bcomp(?:ed|ing)?\s+(?:your|the|you)\b|"
    # "your next check-up is free", "everyone gets their rank back"
    # ("the queue tonight is on us" takes the blame: "on us" pays only for "your ...")
    r"\b(?:your|the|this|that)\s+(?:next\s+)?(?:[\w-]+\s+){0,3}(?:is|are|will\s+be|'s|'re)\s+"
    r"(?:completely\s+|totally\s+|also\s+)?free\b(?!\s+to\b)|\byour\s+(?:next\s+)?(?:[\w-]+\s+){0,3}"
    r"(?:is|are|will\s+be|'s|'re)\s+on\s+us\b|"
    r"\byour\s+next\s+(?:[\w-]+\s+){0,2}[\w-]+'s\s+free\b|\b(?:everyone|everybody|you|all\s+(?:players|customers|users|members))\s+"
    r"(?:gets?|will\s+get|'ll\s+get)\s+(?:their|your)\s+(?:[\w-]+\s+){1,2}back\b|"
    # "they'll move your exam to next week": rescheduling someone else's decision is an outcome
    r"(?:'ll|\bwill)\s+(?:\w+\s+)?(?:move|reschedule|rearrange|switch|transfer|swap)\s+your\s+"
    r"(?:exam|appointment|booking|flight|date|slot|delivery|reservation|seat|order|plan|tariff|"
    r"class|course|session)\b|"
    # "your fee is being waived", "your ticket has been upgraded": a concession granted
    r"\b(?:is|are)\s+being\s+(?:waived|refunded|credited|replaced|upgraded|covered|reimbursed|"
    r"written\s+off|comped)\b|\b(?:has|have)\s+been\s+(?:upgraded|credited|waived|reimbursed|"
    r"compensated|comped|written\s+off|approved|granted|accepted|refunded|paid\s+out)\b|\bmatch\s+(?:the|that|their|"
    r"this|our)\s+(?:\w+\s+)?price\b|"
    r"\bas\s+(?:an?\s+|our\s+)?(?:apology|goodwill\s+gesture|gesture\s+of\s+goodwill|"
    r"thank[\s-]you|sorry)\b|"
    # "we're also waiving your fee": the concession is being granted as we speak
    r"\b(?:we're|we\s+are|i'm|i\s+am)\s+(?:also\s+|now\s+|happy\s+to\s+be\s+)?(?:waiving|"
    r"writing\s+off|refunding|reimbursing|crediting|cancelling\s+(?:the|your)\s+\w*\s*(?:fee|"
    r"charge|fine|bill))\b|"
    r"\bconsider\s+(?:it|this|that)\s+(?:done|"
    r"sorted|refunded|waived|cancelled|canceled|fixed|credited|covered|paid|closed|settled|"
    r"resolved|cleared|written\s+off)\b",
    _I,
)
# Certainty phrases that make a promise on their own.
_CERTAIN = re.compile(
    r"\b(?:i|we)\s+(?:can\s+)?assure\s+you\b|\bwithout\s+fail\b|\bno\s+matter\s+what\b|\bcome\s+what\s+may\b|\bcount\s+on\s+it\b|\btake\s+my\s+word\b|"
    # "We won't charge you for yesterday's consultation": a waiver in other words
    r"\b(?:we|i)\s+(?:won't|will\s+not|wont|shan't)\s+(?:be\s+)?(?:charg(?:e|ing)|bill(?:ing)?|"
    r"invoic(?:e|ing))\s+you\b|"
    # "you're fully covered for this": an outcome of the claim, stated as settled
    r"\byou(?:'re|\s+are|'ll\s+be|\s+will\s+be)\s+(?:fully\s+|completely\s+|totally\s+|100%\s+)?"
    r"covered\b|"
    # "it won't affect your grades", "no patient will wait more than 30 minutes"
    r"\b(?:won't|will\s+not)\s+(?:\w+\s+)?affect\s+your\b|\bno\s+(?:\w+\s+)?(?:will|'ll)\s+(?:ever\s+)?"
    r"(?:wait|have\s+to|need\s+to|be\s+charged|lose|miss)\b",
    _I,
)
# "you'll get / receive / be given ..." is an outcome unless the object is a reply or update.
_YOU_GET = re.compile(
    r"\byou(?:'ll|\s+will|\s+are\s+going\s+to|'re\s+going\s+to|'re|\s+are)\s+(?:definitely\s+|"
    r"certainly\s+|also\s+|still\s+|then\s+)?(?:get|receive|be\s+(?:given|sent|offered|issued|paid|"
    r"credited|refunded|reimbursed|compensated|upgraded|rebooked|moved|booked|put)|"
    r"getting(?!\s+(?:ready|dressed|there|home|on|used|to\b))|receiving)\b"
    r"(?!\s+(?:a|an|our|the|your|some|any)?\s*(?:\w+\s+)?(?:reply|replies|update|updates|response|"
    r"email|message|dm|call|text|link|form|notification|confirmation|answer|news|information|"
    r"details|survey|reference|chance|back\s+to\s+us)\b)(?!\s+(?:in\s+touch|back\s+to|through\s+to))",
    _I,
)
_AMOUNT = re.compile(
    r"[£$€]\s?\d[\d,.]*\s*(?:[\w']+\s+){0,2}?(?:vouchers?|credit|compensation|refunds?|gift\s*cards?|"
    r"discount|off|bonus|payments?|goodwill|back)\b|\b(?:vouchers?|credit|compensation|refunds?|payment|"
    r"discount|goodwill\s+gesture)\s+(?:of|worth)\s+[£$€]?\d|\b\d[\d,]*\s+(?:bonus\s+)?(?:miles|points|"
    r"avios)\b|\b\d+%\s+(?:off|discount|refund)|(?:[£$€]\s?\d[\d,.]*)\s+(?:to|into|on)\s+your\s+account\b",
    _I,
)
_MARKER = re.compile(
    r"\b(?:will|shall|gonna|going\s+to|(?:is|are)\s+set\s+to|definitely|certainly|surely|for\s+sure|"
    r"rest\s+assured|confident|certain|without\s+fail|no\s+matter\s+what)\b|'ll\b|\b100%|"
    r"\bshould\s+be\s+(?=\w+ed\b|back|with\s+you|online|working|running|normal|over|ready|done)|"
    r"(?:^|[.!?:]\s+|@\w+\s+)(?:please\s+)?expect\b|\byou\s+can\s+expect\b|"
    r"\b(?:we're|we\s+are)\s+(?=(?:giving|offering|sending|refunding|crediting|paying|covering|"
    r"upgrading|compensating|rebooking|replacing|waiving)\b)",
    _I,
)
# Verbs that promise communication or effort, not an outcome.
_COMM_AFTER = re.compile(
    r"^\s*(?:(?:also|then|now|personally|definitely|certainly|still|happily|gladly|continue\s+to|"
    r"be\s+sure\s+to|make\s+sure\s+to|aim\s+to|try\s+to|need\s+to|be\s+able\s+to|do\s+our\s+best\s+to|"
    r"of\s+course|always|directly|quickly|urgently|promptly)\s+)*"
    r"(?:dig\s+in(?:to)?|update|post|share|reply|respond|answer|contact|message|dm|email|call|ring|text|follow|look|"
    r"mention|note|flag|log|record|raise|include\s+(?:it|this|that|your)|"
    r"give\s+you\s+a\s+(?:call|ring|bell|shout|buzz|update)|drop\s+you\s+(?:a\s+)?(?:message|line|"
    r"note|dm|email|text)|"
    r"check|review|investigate|find\s+out|trace|track|monitor|pass|escalate|keep\s+(?:you|everyone|customers|this|"
    r"it|working|trying|going|looking|investigating)|let\s+(?:you|everyone|customers|people|all)|"
    r"get\s+back\s+to|be\s+in\s+(?:touch|contact)|be\s+back\s+(?:in\s+touch|with|here)|be\s+here|"
    r"be\s+(?:happy|glad)\s+to|help|see\s+(?:how|what|if|whether)|explain|confirm\s+(?:the|when|whether|"
    r"if|with|on|here|in\s+this)|confirm\s+(?:by|before|at)\s+[\w:.]+\s+(?:whether|if|when)|"
    # "revert" is Indian English for "reply"
    r"revert|talk|speak|chat|discuss|go\s+through|take\s+(?:a\s+)?(?:look|note|it\s+from)|"
    r"pick\s+(?:this|it|that)\s+up|reach\s+out|listen|learn|work\s+(?:on|with|through|to|hard|closely|"
    r"round|around)|continue|provide\s+(?:an?\s+)?(?:update|information|details|more)|publish|announce|"
    r"notify|inform|alert|send\s+(?:you\s+)?(?:a\s+|an\s+|our\s+)?(?:dm|message|update|email|reply|"
    r"note|link|form|details)|do\s+(?:our|my|everything|what|all)|try|aim|come\s+back\s+to|write|"
    r"have\s+(?:more\s+|further\s+|an?\s+)?(?:news|information|details|update)|"
    r"be\s+(?:looking|working|investigating|monitoring|reviewing|sharing|posting|updating|checking|"
    r"in\s+touch|tracing|speaking|talking)|get\s+(?:a|an|our)\s+(?:\w+\s+)?(?:reply|update|response|"
    r"email|message|dm|call|text)|hear\s+(?:from|back))\b",
    _I,
)
_OUTCOME = re.compile(
    r"\b(?:fix|fixed|fixes|fixing|resolve[sd]?|resolving|restore[sd]?|restoring|repair(?:ed|s)?|"
    r"replace[sd]?|replacement|refund(?:ed|s)?|reimburse[sd]?|reimbursement|compensate[sd]?|"
    r"compensation|credit(?:ed)?|waive[sd]?|rebook(?:ed)?|upgrade[sd]?|deliver(?:ed|s)?|"
    # "delivery notes", "delivery team": the word names a thing, not the parcel arriving
    r"delivery(?!\s+(?:notes?|instructions?|address|details|team|drivers?|partners?|slots?|options?|"
    r"preferences?|issues?|problems?|records?|history|info))|"
    r"arrive[sd]?|ship(?:ped|s)?|dispatch(?:ed)?|returned|sorted|sort\s+(?:it|this|that)|solve[sd]?|"
    r"cleared|reopen(?:ed|s)?|resume[sd]?|approved?|lift(?:ed)?|unblock(?:ed)?|reinstate[sd]?|"
    r"reconnect(?:ed)?|recover(?:ed)?|processed|cover(?:ed)?|pay|paid|found|find(?!\s+out)|normal|normally|"
    r"working(?!\s+(?:days?|hours?|week|in|on|to|through|with|hard|closely|round|around|"
    r"across|overnight|tonight|today|as|at|from|alongside|flat\s+out))|running(?!\s+(?:behind|late|slow|slowly|low|short|out))|online|operational|vouchers?|miles|points|money|free|seats?|"
    r"back\b(?!\s+to\s+(?:you|us|them|everyone|customers))|up\s+and\s+running|home|refunds?|discount|"
    r"goodwill|priority\s+(?:access|booking|boarding|treatment)|go(?:es|ing)?\s+live|come\s+back|coming\s+back|turns?\s+up|turned\s+up|show\s+up|"
    r"be\s+(?:over|ready|done|complete|completed|finished|open|reopened|fine|sorted)|on\s+your\s+doorstep|"
    r"at\s+your\s+door|revers\w*|reach\s+you|be\s+there|come\s+through|go\s+through|honou?r(?:ed)?|"
    r"fitted|installed|good\s+news|cancel(?:led)?\s+(?:the|your|that|this)\s+(?:charge|fee|payment|"
    r"debit|fine|penalty)|upgrading|refunding|replacing|crediting|extend(?:ed|ing|s)?|settled|removed|"
    # "the 2pm sailing will run", "the Wi-Fi will work": not "run some checks", "work out"
    r"run(?!\s+(?:some|a|an|the|more|further|tests?|checks?|diagnostics?|through|it|this|that|"
    r"over|by|past|until|till|from|between))|work(?!\s+(?:on|with|through|to|hard|closely|round|around|out|together|"
    r"alongside|it|this|that))|coming(?!\s+(?:back\s+to|to\s+(?:you|us)|in|up|through|soon))|"
    r"in\s+your\s+(?:bank|account)|on\s+(?:its|their|the)\s+way|no\s+more\s+(?:queues?|delays?|"
    r"waits?|waiting|problems?|issues?|outages?|cancellations?|crashes?|errors?|disruptions?))\b"
    r"|\bon\s+(?:a|an|the)\s+(?:\S+\s+){0,2}(?:flight|train|bus|service|ferry|departure)\b|\bwith\s+you\s+(?:by|before|within|in|tomorrow|today|tonight)\b",
    _I,
)
_OUTCOME_NOUNS = wordset(
    """
    delivery replacement compensation reimbursement voucher vouchers miles points money
    free refunds discount goodwill home seat seats
    """
)
_NEGATION = re.compile(
    r"\b(?:not|never|cannot|unable|no|don't|doesn't|didn't|can't|couldn't|won't|isn't|aren't|"
    r"haven't|hasn't|wouldn't)\b",
    _I,
)
_INDIRECT = re.compile(
    r"\b(?:when|whether|if|once|until|unless|how\s+soon|what\s+time|as\s+soon\s+as)\b", _I
)


def find(text: str, commitments: Sequence[Commitment] = ()) -> list[Violation]:
    """Return promise violations not covered by an approved commitment."""
    approved = [c for c in commitments if c.approved]
    out: list[Violation] = []
    for clause in clauses(text):
        reason = _promise_reason(clause)
        if reason is None:
            continue
        if any(covers(c.text, clause.text) for c in approved):
            continue
        out.append(Violation("promise", clause.start, clause.end, reason))
    return out


# "Don't worry, you won't lose your bonus": a reassurance, not a negation of what follows.
_REASSURANCE = re.compile(
    r"\b(?:don't|do\s+not)\s+(?:you\s+)?worry\b|\bno\s+worries\b|\bnot\s+to\s+worry\b", _I
)


def _negated_before(clause: str, pos: int, window: int = 40) -> bool:
    head = _REASSURANCE.sub(" ", clause[max(0, pos - window) : pos])
    return _NEGATION.search(head) is not None


# "We can't guarantee what the engineers will find": the hedge governs the rest of the
# clause, so its "will" reports uncertainty instead of promising an outcome.
_HEDGE = re.compile(
    r"\b(?:can't|cannot|can\s+not|unable\s+to|not\s+able\s+to|won't\s+be\s+able\s+to|"
    r"couldn't|don't|do\s+not)\s+(?:yet\s+)?(?:guarantee|promise|predict|say\s+for\s+(?:sure|certain))\b",
    _I,
)


def _promise_reason(clause: Clause) -> str | None:
    text = clause.text
    hedged = _HEDGE.search(text) is not None
    if _NEVER_AGAIN.search(text):
        return "promises it will never happen again"
    named = [n.span() for n in _GUARANTEE_NAME.finditer(text)]
    # "We know "guaranteed next day" means nothing...": quoting a phrase guarantees nothing
    named += [q.span() for q in _QUOTED.finditer(text)]
    for m in _GUARANTEE.finditer(text):
        if any(s <= m.start() < e for s, e in named):
            continue
        if not _negated_before(text, m.start()):
            return "guarantee not backed by an approved commitment"
    for m in _PROMISE_WORD.finditer(text):
        core = text.lower().rfind("promise", m.start(), m.end())
        core = core if core >= 0 else m.start()
        if not _negated_before(text, core):
            return "promise not backed by an approved commitment"
    for rx, why in ((_COMPENSATION, "compensation"), (_AMOUNT, "compensation amount")):
        for m in rx.finditer(text):
            if not _negated_before(text, m.start()):
                return f"offers {why} that is not an approved commitment"
    if hedged:
        return None
    if _MARKER.search(text):  # a future ("will", "'ll", ...) makes the booking a commitment
        for m in _CONTACT_DEADLINE.finditer(text):
            if _PRECISE_TIME.match(text[m.end() :]) and not _negated_before(text, m.start(), 30):
                return "books a contact for a precise time that is not an approved commitment"
    for rx2 in (_CERTAIN, _YOU_GET):
        for m in rx2.finditer(text):
            if not _negated_before(text, m.start(), 25):
                return "promises an outcome that is not an approved commitment"
    for m in _MARKER.finditer(text):
        if _marker_promises(text, m):
            return "promises an outcome that is not an approved commitment"
    for m in DEADLINE.finditer(text):
        # "we'll share an update tomorrow": the time belongs to the update, not an outcome.
        if _negated_before(text, m.start(), 60) or _comm_governs(text, m.start()):
            continue
        if _has_outcome(text, deadline=True):
            return "commits to a deadline that is not an approved commitment"
    return None


def _marker_promises(text: str, m: re.Match[str]) -> bool:
    after = text[m.end() :]
    if re.match(r"\s*(?:not|never|n't)\b", after, _I):
        return False
    before = text[max(0, m.start() - 40) : m.start()]
    recent = " ".join(before.split()[-4:])
    if _NEGATION.search(recent) or _INDIRECT.search(recent):
        return False
    if _COMM_AFTER.match(after):
        return False
    if _has_outcome(text, deadline=False):
        return True
    # A certain future plus a time ("will be there on Monday", "will reach you tomorrow") is a
    # deadline promise even without an outcome word, unless the time belongs to an update.
    deadline = DEADLINE.search(text)
    return deadline is not None and not _comm_governs(text, len(text))


def _has_outcome(text: str, *, deadline: bool) -> bool:
    for m in _OUTCOME.finditer(text):
        if _negated_before(text, m.start(), 25):
            continue
        if deadline:
            # Without a future marker only a verb ties the outcome to the deadline; nouns
            # ("delivery delays this week") and past tense ("we've refunded it today") do not.
            if m.group().lower() in _OUTCOME_NOUNS or _comm_governs(text, m.start()):
                continue
            if re.search(
                r"\b(?:'ve|have|has|had|was|were|did|'s\s+been|been)\s+(?:\w+\s+)?$",
                text[max(0, m.start() - 20) : m.start()],
                _I,
            ):
                continue
        return True
    return False


# Words of communication that, shortly before a deadline, make it the deadline of a message.
_COMM_WORD = re.compile(
    r"\b(?:update|news|information|info|details|post|share|hear|know|reply|respond|response|"
    r"answer|contact|get\s+back|in\s+touch|call|email|message|ring|phone|come\s+back\s+to|"
    r"check\s+back|check\s+in|reach\s+out|follow\s+up|touch\s+base|write|confirm)\b",
    _I,
)


def _comm_governs(text: str, pos: int) -> bool:
    # "update you on refunds by 3pm": the deadline belongs to the update, not the refund.
    return _COMM_WORD.search(text[max(0, pos - 60) : pos]) is not None


# --- commitment coverage ----------------------------------------------------------------------

_STOP = wordset(
    """
    will shall we you your our us they them their i it its this that these those a an
    the to for of on in at by with and or be been being is are was were have has had get
    got receive given give provide offer make sure ensure all any every each everyone
    anyone can may also now then so please who which what going set definitely certainly
    rest assured confident process issue claim customer passenger guest user people
    traveller traveler client 'll ll from as up into affected their them he she we're
    you'll you're we'll there here able
    """
)
_KEY = re.compile(
    rf"\d|^(?:today|tonight|tomorrow|{_DAY}|hours?|minutes?|days?|weeks?|months?|midnight|noon|am|pm|"
    r"full|free|guarantee[sd]?|never|again|double|extra|immediately|one|two|three|four|five|six|seven|"
    r"eight|nine|ten|eleven|twelve|twenty|thirty|hundred|half|triple|whole|entire|all)$",
    _I,
)
_SYNONYM = {
    "reimburse": "refund",
    "reimbursement": "refund",
    "compensation": "compensate",
    "hr": "hour",
}


def _content(text: str) -> list[tuple[str, str]]:
    """Return (word, normalised stem) for the content words of text."""
    out = []
    for word, _, _ in words(text):
        if word in _STOP:
            continue
        s = stem(word.lstrip("£$€"))
        out.append((word, _SYNONYM.get(s, s)))
    return out


def covers(commitment: str, promise: str, threshold: float = 0.75) -> bool:
    """True when the promise's content is covered by the commitment (normalised token overlap)."""
    allowed = {s for _, s in _content(commitment)}
    tokens = _content(promise)
    if not tokens or not allowed:
        return False
    # Amounts, times and "full"/"free" are the substance of a promise: each must be approved.
    if any(_KEY.search(w) and s not in allowed for w, s in tokens):
        return False
    hit = sum(1 for _, s in tokens if s in allowed)
    return hit / len(tokens) >= threshold


def iter_promises(text: str) -> Iterable[Clause]:
    """Yield the clauses that make a promise, ignoring commitments (used by drafting)."""
    for clause in clauses(text):
        if _promise_reason(clause) is not None:
            yield clause
