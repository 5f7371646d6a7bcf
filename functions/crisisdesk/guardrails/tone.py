"""Tone rule: defensive, blaming, sarcastic, dismissive or emotional phrasing, and shouting."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from crisisdesk.guardrails._text import wordset
from crisisdesk.guardrails.model import Violation


@dataclass(frozen=True)
class _Pattern:
    regex: re.Pattern[str]
    message: str
    # Context that turns the phrase into help or apology, e.g. conditional framing
    # ("if you forgot your password, DM us") is help, not blame.
    skip_before: re.Pattern[str] | None = None
    # How many characters before the match skip_before looks at.
    window: int = 20


_CONDITIONAL = r"\b(?:if|when|whether|in\s+case)\s+$"


def _p(
    pattern: str,
    message: str,
    *,
    skip_after_if: bool = False,
    skip_before: str | None = None,
    window: int = 20,
) -> _Pattern:
    before = skip_before or (_CONDITIONAL if skip_after_if else None)
    return _Pattern(
        re.compile(pattern, re.I), message, re.compile(before, re.I) if before else None, window
    )


_BE = r"(?:'s|'re|\s+is|\s+are|\s+was|\s+were)"
_WE_BE = r"(?:we|i)(?:'re|'m|\s+are|\s+am|\s+were|\s+was)"
_PARTICIPLE = (
    r"(?:\w+ed|read|done|known|come|gone|taken|paid|brought|kept|put|told|sent|made|left|"
    r"written|given|seen|bought|chosen|packed|shown|spoken|understood|thought|heard)"
)
_SENT = r"(?:^|[.!?:;]\s+|@\w+\s+)"
_RECEIPT = (
    r"(?:received|got|gotten|been|had\b|experienced|expected|seen\s+(?:a|an|our|the\s+(?:email|message|"
    r"dm|text|update))|access|an?\s+(?:email|message|dm|text|reply|update|refund|call))"
)

PATTERNS: tuple[_Pattern, ...] = (
    # --- telling the customer how to feel
    _p(
        r"\b(?:calm|settle|cool|simmer|quiet)\s+(?:yourself\s+|yourselves\s+|it\s+)?down\b|\bcool\s+it\b",
        "tells the customer to calm down",
    ),
    _p(
        r"\bchill(?:\s+out)?\b(?!ed)|\brelax\b(?!ing)|\btake\s+a\s+(?:deep\s+)?breath\b",
        "tells the customer to calm down",
    ),
    _p(r"\b(?:please\s+)?be\s+patient\b", "orders the customer to be patient"),
    _p(
        r"\b(?:get\s+over\s+it|grow\s+up|get\s+a\s+grip|get\s+a\s+life|"
        r"give\s+it\s+a\s+rest|just\s+move\s+on|move\s+on\s*[.!])",
        "dismisses the customer",
    ),
    _p(
        r"\bdeal\s+with\s+it\b",
        "dismisses the customer",
        skip_before=r"\b(?:to|will|'ll|can|we)\s+$",
    ),
    # --- blame: second person + obligation / counterfactual / fault
    _p(
        rf"\byou\s+(?:should|ought\s+to|could)(?:'ve|\s+have|\s+of)\s+(?!{_RECEIPT})",
        'blames the customer ("you should have")',
    ),
    _p(
        # "you shouldn't have to ..." / "you should never have to ..." sides with the customer
        r"\byou\s+(?:should|ought\s+to)\s+(?:not|never)\s+have\b(?!\s+(?:had\s+)?to\b)|"
        r"\byou\s+shouldn't\s+have\b(?!\s+(?:had\s+to|to\b|been|needed))",
        "blames the customer",
    ),
    _p(
        r"\byou\s+(?:were|are)\s+(?:supposed|meant|required|expected|obliged)\s+to\b",
        'blames the customer ("you were supposed to")',
    ),
    _p(
        r"\byou\s+(?:failed|neglected|forgot|chose|decided|refused|didn't\s+bother|did\s+not\s+bother)"
        r"\s+to\b",
        "blames the customer",
        skip_after_if=True,
    ),
    _p(
        rf"\bif\s+you(?:'d|\s+had)\s+(?:just\s+|only\s+|actually\s+|bothered\s+to\s+)?"
        rf"(?!been\b|received\b|like\b|liked\b|prefer|rather\b|any\b|a\s+chance\b){_PARTICIPLE}\b",
        'blames the customer ("if you had ...")',
    ),
    _p(rf"(?:^|[.,;]\s*)had\s+you\s+(?:just\s+|only\s+)?{_PARTICIPLE}\b", "blames the customer"),
    _p(
        rf"{_BE}\s+(?:entirely\s+|all\s+|completely\s+|solely\s+|clearly\s+)?your\s+(?:own\s+)?"
        r"(?:fault|mistake|error|problem|responsibility|lookout|doing|issue|choice)\b",
        "blames the customer",
    ),
    _p(
        r"\byour\s+own\s+(?:fault|mistake|doing|error)\b|\b(?:fault|mistake|error|blame)\s+"
        r"(?:is|was|lies|lay|rests)\s+(?:entirely\s+)?(?:yours|with\s+you|on\s+you)\b",
        "blames the customer",
    ),
    _p(
        r"\b(?:that|this|it)(?:'s|\s+is|\s+was)\s+(?:all\s+)?(?:on|down\s+to)\s+you\b|"
        r"\b(?:is|was)\s+(?:all\s+|entirely\s+)?on\s+you\s*[.!]",
        "blames the customer",
    ),
    _p(r"\byour\s+\w+,?\s+not\s+ours\b|\bnot\s+ours\b", "pushes responsibility onto the customer"),
    _p(
        r"\b(?:caused|done)\s+by\s+you\b|\buser\s+error\b|\bon\s+your\s+(?:part)\b",
        "blames the customer",
    ),
    _p(
        r"\b(?:happened|occurred|caused|problem|issue|fault|error|damage)\s+(?:\w+\s+){0,3}?"
        r"(?:on|at)\s+your\s+(?:end|side)\b",
        "blames the customer",
    ),
    _p(
        r"\byou\s+(?:clearly|obviously|evidently)\s+(?!\w+\s+(?:us|our)\b)\w+|\byou\s+must(?:'ve|\s+have)\s+"
        r"(?!been\b|felt\b|had\b)\w+ed\b",
        "blames the customer",
    ),
    _p(
        r"\byou\s+were\s+(?:late|wrong|mistaken|rude|careless|aware|warned)\b",
        "blames the customer",
    ),
    _p(
        r"\byou\s+were\s+(?:told|informed|advised|notified|warned|reminded)\b(?!\s+(?:the\s+|something\s+)?"
        r"(?:wrong|incorrect|otherwise|different|nothing))",
        "argues with the customer about what they were told",
        skip_before=r"\b(?:sorry|apologies|that|if|when|whether|because|we're\s+sorry|from\s+what|than)\s+$",
    ),
    _p(
        r"\byou\s+were\s+(?:told|informed|advised|notified|warned|reminded)\s+(?:twice|already|"
        r"repeatedly|clearly|several|multiple|more\s+than|\w+\s+times|in\s+advance|beforehand|before)\b",
        "argues with the customer about what they were told",
    ),
    _p(
        r"\byou\s+(?:arrived|showed\s+up|turned\s+up|got\s+there|came|checked\s+in)\s+(?:too\s+|very\s+|"
        r"quite\s+)?late\b",
        "blames the customer",
        skip_after_if=True,
    ),
    _p(
        r"\byou\s+(?:\w+\s+)?(?:booked|ordered|chose|selected|picked|bought|entered|typed|packed|"
        r"gave\s+us|provided)\s+(?:the\s+|a\s+)?wrong\b",
        "blames the customer",
        skip_after_if=True,
    ),
    _p(
        r"\byou\s+(?:just\s+|clearly\s+|obviously\s+|simply\s+)?(?:didn't|did\s+not|don't|do\s+not|"
        r"never)\s+(?:read|check|understand|follow|listen|bother|pay\s+attention|look)\b",
        "blames the customer",
        skip_after_if=True,
    ),
    _p(
        r"\byou\s+(?:need|have|must|got)\s+to\s+(?:calm|relax|chill|wait\s+like|be\s+patient|"
        r"understand\s+that|accept|learn|stop|read\s+(?:the|our))\b",
        "lectures the customer",
    ),
    _p(
        r"\b(?:which\s+|that\s+)?you\s+(?:agreed|accepted|signed|consented)\s+to\b|\bwhich\s+you\s+"
        r"accepted\b",
        "lectures the customer about terms",
    ),
    _p(
        r"\b(?:maybe|perhaps)\s+(?:try|read|check|next\s+time|you\s+should)\b|\btry\s+(?:being|"
        r"reading|actually)\b",
        "condescending advice",
    ),
    _p(
        r"\bnext\s+time,?\s+(?:please\s+|maybe\s+|try\s+to\s+)?(?:read|check|try|arrive|pack|book|be|"
        r"make\s+sure|remember|don't|do\s+not|plan)\b|\b(?:read|check|try)\s+(?:\w+\s+){0,3}next\s+time\b",
        "condescending advice",
    ),
    # --- defensive
    _p(
        r"\bnot\s+(?:our|my)\s+(?:fault|problem|responsibility|issue|concern|doing|mistake|job|"
        r"lookout)\b",
        'defensive ("not our fault")',
    ),
    _p(
        r"\b(?!you\b)\w+(?:'s|'re|'m|\s+is|\s+are|\s+am|\s+was|\s+were)\s+(?:not|in\s+no\s+way|hardly|"
        r"never)\s+(?:to\s+blame|responsible|liable|at\s+fault|accountable)\b|\bcan(?:'t|not)\s+be\s+"
        r"blamed\b",
        "defensive: denies responsibility",
    ),
    _p(
        r"\b(?:we|i|our\s+(?:\w+\s+)?(?:staff|team|driver|agent|crew|people|employees?|colleagues?|"
        r"pilots?|store|handlers?|drivers?))\s+(?:did|have\s+done|has\s+done|did\s+absolutely)\s+"
        r"nothing\s+wrong\b",
        "defensive: denies fault",
    ),
    _p(
        r"\bnot\s+(?:caused\s+by\s+|down\s+to\s+|due\s+to\s+|anything\s+)?us\b|\bnot\s+anything\s+"
        r"(?:we|our\s+\w+)\s+did\b",
        "defensive: deflects blame",
    ),
    _p(
        r"\b(?:don't|do\s+not)\s+blame\s+us\b|\bcan(?:'t|not)\s+be\s+held\s+(?:responsible|liable)\b|"
        r"\b(?:we|i)\s+stand\s+by\b",
        "defensive",
    ),
    _p(
        r"\bnothing\s+(?:more\s+|else\s+|further\s+)?(?:we|i|anyone|anybody|one|you)\s+(?:can|could)\s+"
        r"(?:do|have\s+done)\b",
        "dismissive: nothing we can do",
    ),
    _p(
        r"\brules\s+are\s+rules\b|\bpolicy\s+is\s+policy\b|\bit\s+is\s+what\s+it\s+is\b|"
        r"\bend\s+of\s+(?:story|discussion|conversation)\b|\bnothing\s+(?:more|else|further)\s+to\s+"
        r"(?:discuss|say|add)\b|\bfull\s+stop\b|(?:^|[.!?,]\s*)period\s*[.!]\s*$",
        "shuts down the conversation",
    ),
    _p(
        r"\bfollowed\s+(?:the\s+)?(?:correct\s+|proper\s+|standard\s+|our\s+)?(?:procedure|policy|"
        r"protocol|process|rules|instructions)\b",
        "defensive: cites procedure",
    ),
    _p(
        r"\b(?:despite|contrary\s+to|regardless\s+of)\s+what\s+(?:you|some\s+people|people|others|"
        r"some)\b",
        "argues with the customer",
    ),
    _p(
        r"\b(?:these|such|your|baseless|false|unfounded|ridiculous|wild)\s+(?:accusations?|"
        r"allegations?)\b",
        "defensive: calls the complaint an accusation",
    ),
    # --- dismissive: repetition, minimising, comparing
    _p(
        r"\b(?:as|like)\s+(?:we|i)(?:'ve|\s+have|\s+had|'d)?\s+(?:already\s+|previously\s+|clearly\s+|"
        r"just\s+|repeatedly\s+)?(?:said|stated|mentioned|explained|told\s+you|pointed\s+out|noted|advised)"
        r"\b(?!\s+in\s+(?:our|the|my)\s+(?:last|previous|earlier|first)\s+(?:update|post|tweet))",
        'dismissive ("as we already said")',
    ),
    _p(
        r"\bas\s+(?:previously|already|clearly)\s+(?:stated|said|mentioned|explained|advised)\b",
        'dismissive ("as previously stated")',
    ),
    _p(
        r"\bfor\s+the\s+(?:last|final|second|third|fourth|fifth|hundredth|nth|umpteenth|\d+(?:st|nd|"
        r"rd|th))\s+time\b|\bonce\s+again,",
        "dismissive: repeats itself at the customer",
    ),
    _p(
        r"\b(?:we've|we\s+have|i've|i\s+have)\s+(?:already\s+)?(?:told|answered|explained|replied|"
        r"responded)(?:\s+(?:to\s+)?(?:you|this|it))*\s+(?:twice|already|repeatedly|several\s+times|"
        r"multiple\s+times|many\s+times|\w+\s+times)\b",
        "dismissive: repeats itself at the customer",
    ),
    _p(
        r"\bstop\s+(?:messaging|tweeting|posting|spamming|complaining|whining|shouting|yelling|"
        r"harassing|tagging|emailing|calling|contacting|moaning|ranting|commenting|replying|writing|"
        r"arguing|dming|bothering|pestering)\b",
        "tells the customer to stop",
    ),
    _p(r"(?:^|[.!?]\s*)whatever\b|\bwhatever\s*[.!]", 'dismissive ("whatever")'),
    _p(
        r"\b(?:it's|it\s+is|it\s+was|that's|that\s+is|that\s+was|this\s+is)\s+(?:just|only|merely|"
        r"literally|simply)\s+(?:a|an|one|\d+|a\s+few|a\s+couple|a\s+bit|some|\w+\s+minutes?)\b",
        "minimises the problem",
    ),
    _p(
        r"\b(?:it's|it\s+is|it\s+was|that's|that\s+was)\s+(?:just\s+|only\s+)?(?:one|a\s+single)\s+"
        r"(?!of\b)\w+",
        "minimises the problem",
    ),
    _p(
        r"\bonly\s+(?:\d+|a\s+few|a\s+couple\s+of|one|two|three|four|five|ten|fifteen|twenty|thirty)"
        r"\s*(?:-\s*)?(?:minutes?|mins?|hours?|seconds?)\s+(?:late|delayed|of\s+a\s+wait|wait|delay)\b",
        "minimises the problem",
    ),
    _p(
        r"\bnot\s+(?:that\s+|such\s+|really\s+)?(?:a\s+|an\s+)?(?:big|huge|major)\s+(?:a\s+)?deal\b|"
        r"\bno\s+big\s+deal\b|\bnot\s+the\s+end\s+of\s+the\s+world\b|\boverreact\w*",
        "minimises the problem",
    ),
    _p(
        r"\bhardly\s+(?:a\s+|an\s+)?(?:long|big|major|huge|serious|real|massive|the\s+end|disaster|"
        r"emergency|anything|worth)\b",
        "minimises the problem",
    ),
    _p(
        r"\b(?:delays|things|mistakes|accidents|these\s+things|stuff|shit|problems|cancellations|"
        r"issues)\s+happens?\b(?!\s+(?:again|to))",
        'dismissive ("these things happen")',
        skip_after_if=True,
    ),
    _p(
        r"\btakes?\s+as\s+long\s+as\s+(?:it|they)\s+takes?\b|\bwhat\s+did\s+you\s+expect\b|"
        r"\bnot\s+rocket\s+science\b|\bfirst\s+world\s+problem",
        "dismissive",
    ),
    _p(
        r"\b(?:plenty\s+of|most|other|many|lots\s+of)\s+(?:other\s+)?(?:people|customers|passengers|"
        r"guests|users|travell?ers|clients)\s+(?:had|have|were|are|managed|manage|cope[sd]?|seem(?:ed)?)"
        r"\s+(?:\w+\s+)?(?:worse|fine|ok|okay|happy|no\s+(?:problem|issue|complaint)s?)",
        "dismissive: compares with other customers",
    ),
    _p(
        r"\b(?:no\s+one|nobody|no\s+other\s+(?:customer|passenger|person|guest|user)s?)\s+(?:else\s+)?"
        r"(?:is|are|has|have|had|was|were)\s+(?:\w+\s+)?(?:complaining|complained|reported|reporting|"
        r"had|having|mentioned|raised)",
        "dismissive: nobody else complained",
    ),
    _p(
        r"\b(?:had|received|seen|got)\s+no\s+other\s+(?:complaints|reports|issues|problems)\b|"
        r"\byou(?:'re|\s+are)\s+the\s+only\s+(?:one|person|customer|passenger)\b|\blike\s+everyone\s+"
        r"else\b|\beveryone\s+else\s+(?:managed|coped|was\s+fine)",
        "dismissive: nobody else complained",
    ),
    _p(
        r"\b(?:take|bring)\s+your\s+(?:business|custom)\s+elsewhere\b|\bgo\s+elsewhere\b|\bgood\s+"
        r"luck\s+(?:with\s+that|finding)\b|\bnice\s+try\b|\bif\s+you\s+say\s+so\b|\bnobody\s+(?:forced|"
        r"made)\s+you\b|\bno\s+one\s+(?:forced|made)\s+you\b|\badd(?:ed)?\s+it\s+to\s+the\s+pile\b",
        "sarcastic or dismissive",
    ),
    # --- arguing facts
    _p(
        r"\b(?:that's|that\s+is|this\s+is|it's|it\s+is)\s+(?:simply\s+|just\s+|absolutely\s+|completely\s+|"
        r"categorically\s+|plainly\s+)?(?:not\s+(?:true|correct|accurate|the\s+case|what\s+happened|"
        r"how\s+(?:\w+\s+){1,3}works?)|untrue|false|incorrect|inaccurate|a\s+lie|nonsense|rubbish|"
        r"wrong)\b",
        "argues facts with the customer",
    ),
    _p(
        r"\bnot\s+what\s+happened\b|\bthat\s+never\s+happened\b|\bthat's\s+not\s+how\s+\w+\s+works?\b",
        "argues facts with the customer",
    ),
    _p(
        r"\byou(?:'re|\s+are)\s+(?:simply\s+|just\s+|clearly\s+|completely\s+|being\s+)?(?:wrong|mistaken|"
        r"incorrect|lying|exaggerating|confused|misinformed|overreacting|rude|unreasonable|dramatic|"
        r"ridiculous|difficult|aggressive|silly|hysterical|entitled)\b",
        "argues with the customer",
    ),
    _p(
        r"\b(?:check|get)\s+your\s+facts\b|\b(?:we|i)\s+never\s+(?:said|promised|told|claimed|agreed)\b|"
        r"\bwith\s+(?:all\s+)?(?:due\s+)?respect\b|\bfor\s+the\s+record\b|\blet(?:'s|\s+us)\s+be\s+clear\b|"
        r"\bget\s+(?:this|one\s+thing)\s+straight\b",
        "argues with the customer",
    ),
    _p(
        r"\b(?:your|the)\s+(?:bill|charge|invoice|fee|fare|order|statement)\s+(?:is|was)\s+(?:correct|"
        r"accurate|right)\b",
        "argues facts with the customer",
    ),
    _p(
        r"\b(?:quite\s+)?frankly\b|\bhonestly\b(?!,?\s+(?:we're|we\s+are|i'm|i\s+am)\s+(?:so\s+|really\s+)?sorry)|\bto\s+be\s+(?:frank|blunt)\b",
        "emotional framing",
    ),
    # --- sarcasm and non-apologies
    _p(
        r"\bsorry\s+(?:if\s+)?you\s+(?:feel|felt|think|thought)\s+(?:that\s+way|so)\b|\bsorry\s+if\s+"
        r"(?:you|anyone)\s+(?:feel|felt|are|were|was|'re)\b|\bsorry\s+you(?:'re|\s+are)\s+(?:upset|"
        r"offended|unhappy\s+but)\b",
        "non-apology",
    ),
    _p(
        r"\b(?:lol|lmao|rofl|smh|duh|pfft|meh|yeah\s+right|ok\s+boomer)\b|"
        r"\bseriously\s*[?!]|\breally\s*\?\s*!|(?:^|[.!?:]\s+|@\w+\s+)wow\b|\boh\s+(?:great|well|"
        r"please|sure|boy)\b|\bthanks\s+for\s+nothing\b|\bsurprise,?\s+surprise\b|\bnews\s*flash\b|"
        r"\bbless\s+your\s+heart\b|\bwhat\s+(?:a|an)\s+(?:shock|surprise)\b",
        "sarcastic",
    ),
    # --- emotional / hostile
    _p(
        rf"\b{_WE_BE}\s+(?:frankly\s+|honestly\s+|quite\s+|so\s+|really\s+|getting\s+)?(?:tired|sick|"
        r"fed\s+up|exhausted|done|sick\s+and\s+tired|annoyed|frustrated)\s+(?:of|with)\b",
        "emotional: frustration at the customer",
    ),
    _p(
        r"\b(?:this|that|it|you)(?:'s|\s+is|\s+are|'re)\s+(?:getting\s+|being\s+|just\s+|absolutely\s+|"
        r"frankly\s+)?(?:ridiculous|absurd|pathetic|insane|laughable|outrageous|childish|silly|"
        r"unreasonable)\b",
        "emotional",
    ),
    _p(
        r"\b(?:idiots?|idiotic|stupid|morons?|moronic|dumb|clowns?|crybaby|liars?|karens|whiny|"
        r"(?:a|such\s+a|being\s+a|full)\s+karen|"
        r"losers?|snowflakes?|pathetic)\b",
        "insulting language",
    ),
    _p(r"\b(?:damn|hell|crap|wtf|ffs|shit|bullshit|bloody|pissed|f\*+k?|effing)\b", "profanity"),
    _p(
        r"\b(?:we|i)\s+(?:don't|do\s+not)\s+appreciate\b|\bwatch\s+your\s+(?:tone|language|mouth)\b|"
        r"\bhow\s+dare\b|\bdeserve\s+(?:some\s+)?respect\b|\b(?:talk|speak)\s+to\s+(?:us|me|our\s+\w+)\s+"
        r"like\s+that\b|\byour\s+(?:attitude|tone|behaviou?r|language)\b",
        "emotional: scolds the customer",
    ),
    _p(r"\b(?:stop\s+)?(?:shouting|yelling)\s+at\s+us\b", "emotional: scolds the customer"),
    # "Ugh, a three-hour wait is the worst" commiserates; a sigh at the customer does not
    _p(r"\bsigh\s*[,.!]", "sarcastic or exasperated"),
    # --- exasperation, condescension and refusing to engage
    _p(
        r"\bwhat\s+(?:else|more)\s+(?:do\s+)?you\s+(?:want|expect)\b|\bwhat\s+do\s+you\s+expect\b|"
        r"\byou\s+get\s+what\s+you\s+pay\s+for\b|\band\s+you\s+know\s+it\b",
        "exasperated with the customer",
    ),
    _p(
        r"(?:^|[.!?:]\s+|@\w+\s+)(?:please\s+|just\s+|kindly\s+)?(?:re-?read|read|scroll\s+up\s+to|"
        r"refer\s+(?:back\s+)?to)\s+(?:the|our|my|your|this)\s+(?:\w+\s+){0,2}?(?:email|message|replies|"
        r"reply|tweets?|terms|policy|website|faq|conditions|t&cs?|thread|instructions|answer|post)\b",
        "condescending: tells the customer to read",
    ),
    _p(
        r"\bit's\s+all\s+there\b|\b(?:it's|it\s+is|this\s+is|that's|which\s+is)\s+(?:all\s+)?"
        r"(?:clearly\s+)?(?:stated|explained|written|in\s+black\s+and\s+white)\b|\bclearly\s+(?:stated|"
        r"explained|written|marked|signposted|displayed)\b",
        "condescending: it was all explained",
    ),
    # "rubbish"/"garbage" also describe what happened to the customer ("that's a rubbish way
    # to end a night out", "the uncollected garbage"): only the dismissive uses count
    _p(
        r"\b(?:nonsense|baloney|hogwash)\b|\b(?:talking|talk|utter|complete|total|absolute)\s+"
        r"(?:rubbish|garbage)\b|(?:^|[.!?]\s+|@\w+\s+)(?:rubbish|garbage)\s*[.!,]",
        "dismisses the complaint",
    ),
    _p(r"\byou(?:'re|\s+are|\s+were)\s+the\s+one\s+(?:who|that)\b", "blames the customer"),
    _p(
        r"\b(?:won't|will\s+not|do\s+not|don't|refuse\s+to)\s+(?:be\s+)?(?:respond|reply|replie|engag|"
        r"tolerat|entertain|dignify)\w*\s+(?:to\s+|with\s+)?(?:abuse|abusive|this|that|such|rude|"
        r"insults|threats|messages\s+like)",
        "refuses to engage",
    ),
    _p(
        r"\b(?:had|have\s+had|'ve\s+had)\s+(?:quite\s+)?enough\s+of\b|\benough\s+is\s+enough\b|"
        r"\b(?:constant|endless|repeated|non-?stop|incessant)\s+(?:complaints|messages|tweets|moaning|"
        r"whining|demands)\b",
        "emotional: exasperated",
    ),
    _p(
        r"\bfunny\s+how\b|\bhmm+\b|\binteresting\s+how\b|\b(?:pretty|i'm|we're)\s+sure\s+you(?:'re|\s+are)?\s+"
        r"(?:exaggerating|mistaken|wrong|confused|aware|understand)",
        "sarcastic",
    ),
    _p(
        r"\b(?:no\s+one|nobody|no\s+other\s+\w+)\s+else\s+(?:\w+\s+)?(?:noticed|complained|reported|"
        r"mentioned|raised|saw|seems?|experienced|found|had)\b",
        "dismissive: nobody else complained",
    ),
    _p(r"(?:^|[.!?]\s+|@\w+\s+)again\s*[:!]", "dismissive: repeats itself at the customer"),
    # --- structural families: minimising norms, second person + mis-verb, insinuation
    _p(
        r"\b(?:that's|that\s+is|it's|it\s+is|this\s+is)\s+(?:just\s+|simply\s+)?(?:how|the\s+way)\s+"
        r"(?:[\w']+\s+){0,2}?(?:works?|goes|is)\b|\bsimple\s+as\s+that\b|\bplain\s+and\s+simple\b|"
        r"\btake\s+it\s+or\s+leave\s+it\b|\b(?:pick|choose)\s+one\s*[.!]",
        "dismissive: that's just how it is",
    ),
    _p(
        r"\b(?:delays|queues|waits|problems|issues|cancellations|breakdowns|these\s+things|it|that)\s+"
        r"(?:are|is)\s+(?:just\s+|simply\s+)?(?:part\s+(?:and\s+parcel\s+)?of|to\s+be\s+expected)\b",
        "minimises the problem",
    ),
    _p(
        r"\byou(?:'re|\s+are|'ve|\s+have|\s+must\s+have|\s+must\s+be)?\s+(?:clearly\s+|simply\s+|just\s+)?"
        r"mis(?:read|understood|understand|understanding|reading|remember\w*|heard|interpret\w*|"
        r"typed|entered|used|using|handled|handling)\b|\byou(?:'ve|\s+have)\s+got\s+it\s+wrong\b",
        "argues with the customer",
    ),
    _p(
        r"\bwhat\s+you\s+did\s+(?:to|with)\b|\b(?:you|your\s+\w+)\s+(?:must\s+have\s+|probably\s+)?"
        r"(?:broke|dropped|damaged|misused|mishandled|overloaded)\b",
        "insinuates the customer caused it",
    ),
    _p(r",\s*(?:obviously|evidently|clearly|duh)\s*[.!]?\s*$", "sarcastic"),
    _p(
        r"\b(?:we've|we\s+have|we|i've|i)\s+already\s+(?:told|explained|answered|said|replied|responded)\b",
        "dismissive: repeats itself at the customer",
    ),
    _p(
        r"(?:^|[.!?,;:]\s*|@\w+\s+)you\s+(?:chose|opted|decided|picked|elected)\b",
        "blames the customer",
    ),
    _p(
        r"\byou\s+(?:weren't|were\s+not|wasn't|didn't\s+show|did\s+not\s+show|never\s+showed)\b",
        "blames the customer",
        skip_before=r"\b(?:sorry|if|that|when|because|while|whether|in\s+case)\s+$",
    ),
    # --- round 2: families generalised from unseen drafts -----------------------------------
    # Rhetorical questions aimed at the customer.
    _p(
        r"\b(?:did|do|does|were|was|are|have|has|had|could|can|would|is)\s+(?:you|they|it|that)\s+"
        r"(?:even|actually|honestly|seriously|really)\s+(?!sorry\b)\w+|\bdid\s+you\s+not\b|"
        r"\b(?:have|did)\s+you\s+(?:tried|try)\s+(?:reading|actually|looking|listening|"
        r"following|checking\s+(?:the|your)\s+(?:\w+\s+)?(?:email|terms|instructions|website))\b",
        "rhetorical question at the customer",
    ),
    _p(
        rf"{_SENT}(?:are\s+you\s+(?:serious|kidding|joking|for\s+real|sure\s+about\s+that)|"
        rf"really\s*\?|seriously\b(?!\s+sorry)|ever\s+(?:thought|considered|tried|heard)\b|"
        rf"what\s+(?:part|bit)\s+of\b|how\s+many\s+(?:more\s+)?times\b|why\s+would\s+(?:we|anyone|i|"
        rf"you)\b)",
        "rhetorical question at the customer",
    ),
    _p(
        r"\bwhat\s+did\s+you\s+(?:think|imagine|assume)\b|\bwhat\s+(?:were|are)\s+you\s+"
        r"(?:thinking|expecting)\b|\bis\s+(?:it|that)\s+"
        r"(?:really\s+)?(?:that|so|too)\s+(?:hard|difficult|much|complicated)\b|\bis\s+it\s+really\s+"
        r"(?:hard|difficult|necessary)\b|\byou\s+do\s+(?:realise|realize|know|understand)\b|"
        r",\s*right\s*\?|,\s*you\s+know\s*[.!?]",
        "rhetorical or exasperated question",
    ),
    _p(
        r"\bbother(?:s|ed|ing)?\s+to\b|\b(?:didn't|did\s+not|don't|never)\s+bother(?:ed)?\b",
        "implies the customer could not be bothered",
        skip_before=r"\bsorry\s+(?:to\s+)?$",
    ),
    # Second person + fault: "you didn't", "you ignored", "you typed it wrong", "your fault".
    _p(
        r"\byou\s+(?:just\s+|simply\s+|clearly\s+|also\s+)?(?:didn't|did\s+not|never)\s+(?!"
        r"(?:receive|get|hear|have|deserve|need|expect|see|mean|sign\s+up\s+for|ask\s+for|want|"
        r"cause|do\s+anything\s+wrong|fly|travel|arrive|make\s+it|manage)\b)\w+|"
        r"\byou\s+(?:just\s+|simply\s+|clearly\s+)?(?:ignored|overlooked|forgot|neglected|"
        r"disregarded)\b",
        "blames the customer",
        skip_before=r"(?:\b(?:sorry|apologi\w+|if|unless|whether|that|when|know|understand|see|"
        r"in\s+case|so|hope|why|how|shame|pity|confirm\w*|report\w*|say|said|saying|tell\w*|told)\b"
        r"[^.!?]{0,25}|\b(?:told|gave|sent|showed|made)\s+)$",
        window=40,
    ),
    _p(
        r"\byou\s+(?:\w+\s+){1,4}?(?:wrong|incorrectly|too\s+late)\b(?!\s+(?:item|size|colou?r|"
        r"information|info|time|date|details|bag|order|product|parcel|meal|room))",
        "blames the customer",
        skip_before=r"(?:\b(?:sorry|apologi\w+|if|unless|whether|that|when|in\s+case)\b[^.!?]{0,25}"
        r"|\b(?:told|gave|sent|showed|sold|charged|quoted|given|offered|served|handed|give|tell)\s+)$",
        window=40,
    ),
    _p(
        r"\byour\s+(?:own\s+)?fault\b|"
        r"\b(?:because|as)\s+you\s+(?:ignored|chose|didn't|failed|forgot|refused|never)\b|"
        r"\b(?:your\s+(?:\w+\s+)?(?:is|are|was|were)\s+the\s+(?:problem|issue|cause|culprit))\b",
        "blames the customer",
        skip_before=r"\b(?:not|isn't|wasn't|no|never|in\s+no\s+way)\s+(?:\w+\s+)?$",
    ),
    # Condescension.
    _p(
        r"\b(?:people|folks|customers|passengers|guests|types|someone|anyone)\s+like\s+you\b",
        'condescending ("people like you")',
        skip_before=r"\b(?:loyal|valued|value|great|wonderful|amazing|lovely|kind|patient|thank|"
        r"appreciate|love|for|grateful)\s+(?:\w+\s+)?$",
    ),
    _p(
        r"\bunlike\s+(?:some|certain|a\s+few|you)\b|\beven\s+a\s+(?:child|kid|"
        r"toddler|monkey|five|5)\b|\bcommon\s+sense\b|\bbasic\s+(?:stuff|maths|math|things)\b|"
        r"\b(?:brain|rocket)\s+(?:surgery|science)\b|\ba\s+(?:quick|simple)\s+(?:google|search|look|"
        r"glance|read|check)\s+(?:would|will|could)\b",
        "condescending",
    ),
    _p(
        r"\bobviously\b(?!\s+(?:[\w']+\s+){0,2}?(?:we|our|us|isn't|wasn't|not|sorry)\b)|"
        rf"{_SENT}clearly\b(?!\s+(?:[\w']+\s+){{0,2}}?(?:we|our|us|isn't|wasn't|not)\b)|"
        r"\bclearly\s+you\b|\bas\s+(?:any|every|most)(?:one|body)?\s+(?:\w+\s+){0,2}?(?:knows?|would\s+"
        r"know|can\s+see|can\s+tell|is\s+aware|understands)\b|\b(?:every|any)(?:one|body)\s+knows\b|"
        r"\banyone\s+(?:who|that)\s+(?:reads|can\s+read|looks|checks|bothers)\b",
        'condescending ("obviously", "as anyone knows")',
    ),
    _p(
        r"\b(?:it's|it\s+is|this\s+is|that's)\s+(?:really\s+|very\s+|pretty\s+|quite\s+)?simple\s*[:.!]|"
        r"\b(?:it|this|that)(?:'s|\s+is)\s+(?:really\s+|honestly\s+)?not\s+(?:that|so|very|exactly)\s+"
        r"(?:hard|difficult|complicated|tricky)\b|\breally\s+(?:isn't|is\s+not|not)\s+(?:that\s+)?"
        r"(?:hard|difficult|complicated|tricky)\b|\bsomething\s+(?:else\s+|new\s+)?to\s+(?:complain|"
        r"moan|whinge)\s+about\b",
        'condescending ("it\'s simple")',
    ),
    # Disbelief.
    _p(
        r"\b(?:hard|difficult)\s+to\s+believe\b(?!\s+(?:we|our|that\s+we))|\b(?:we|i)\s+(?:seriously\s+|"
        r"highly\s+|strongly\s+|very\s+much\s+)?doubt\b|\bwe\s+have\s+(?:our|some|serious)\s+doubts\b|"
        r"\bsupposedly\b|\bso-?\s?called\b|\ballegedly\b|\byour\s+(?:supposed|alleged|claimed)\b|"
        r"\blikely\s+story\b|\b(?:we're|we\s+are|i'm|i\s+am)\s+(?:not\s+(?:at\s+all\s+)?convinced|"
        r"(?:a\s+little\s+|a\s+bit\s+|rather\s+)?(?:sceptical|skeptical))\b|\bdoesn't\s+add\s+up\b",
        "doubts the customer",
        skip_before=r"\b(?:don't|do\s+not|never|no)\s+$",
    ),
    _p(
        r"\byou\s+(?:claim|claimed|allege|alleged|insist|insisted|maintain)\b|\b(?:your|this|the)\s+"
        r"claim\s+(?:that\s+)?(?:is|was|seems|sounds)\s+(?:\w+\s+)?(?:hard|unlikely|odd|strange|false|"
        r"untrue|doubtful)\b|\b(?:find|found)\s+(?:your|this|that|it)\s+(?:\w+\s+)?(?:hard|difficult)\s+"
        r"to\s+believe\b",
        "doubts the customer",
    ),
    # Dismissal.
    _p(
        rf"{_SENT}whatever\s*[,.!]|\b(?:time\s+to|let's|just|please|you\s+need\s+to|you\s+should)\s+"
        r"move\s+on\b|\bmove\s+on\s+from\s+(?:this|it)\b|\b(?:that's|that\s+is|it's)\s+(?:just\s+)?"
        r"the\s+way\s+(?:things|it)\s+(?:are|is)\b|\b(?:tough|hard)\s+luck\b|\btoo\s+bad\b|"
        r"\byou(?:'ll|\s+will)\s+(?:just\s+|simply\s+)?have\s+to\s+(?:accept|live\s+with|deal|put\s+up|"
        r"get\s+used)\b|\b(?:we've|we\s+have)\s+(?:already\s+)?(?:done\s+(?:more\s+than\s+)?enough|bent\s+over\s+"
        r"backwards)\b|\byou(?:'re|\s+are)\s+lucky\b|\byou\s+got\s+what\s+you\s+paid\s+for\b|"
        r"\bgood\s+luck\s+\w+ing\b|\bnot\s+(?:a\s+)?(?:charity|magicians?|mind[\s-]?readers?|psychic|"
        r"miracle\s+(?:workers?|service))\b",
        "dismissive",
    ),
    _p(
        r"\b(ok|okay|alright|yes|yeah|fine|right|sure|yep|alright\s+then)[,!.\s]+\1\b|\bheard\s+you\s+"
        r"(?:the\s+first\s+time|already|loud)|\bno\s+need\s+to\s+(?:keep|be\s+"
        r"so|be\s+rude|shout|repeat|tag|tweet|post|spam)\b|\b(?:don't|do\s+not)\s+need\s+to\s+hear\b|\b(?:we're|we\s+are|i'm|i\s+am)\s+"
        r"not\s+going\s+to\s+(?:keep|argue|debate|go\s+(?:round|over|back)|repeat|apologi[sz]e|"
        r"entertain|engage)\b",
        'dismissive ("we heard you")',
    ),
    # Sarcasm.
    _p(
        r"\boh\s+(?:great|wonderful|lovely|brilliant|fantastic|perfect|joy|marvell?ous|super|"
        r"terrific|goody|nice|good|look|how\s+(?:lovely|nice|wonderful))\b|"
        r"\bcongrat\w*\s+on\s+(?:finally|finding|reading|noticing|spotting|working\s+out|figuring|"
        r"discovering|being\s+the|managing)\b|\bwell\s+done,?\s+(?:you|for\s+finally|on\s+finally)\b|"
        r"\b(?:gee|jeez|geez|good\s+grief|give\s+me\s+strength|for\s+goodness'?\s+sake|for\s+heaven'?s\s+"
        r"sake|omg)\b|\bnice\s+of\s+you\s+to\s+(?:finally|eventually|bother|show|join|grace)\b|"
        r"\b(?:just|exactly)\s+what\s+(?:we|i)\s+needed\b|\bfor\s+fun\b|"
        r"\b(?:sure|yeah|right|yes|of\s+course)\s*,?\s+(?:because|blame)\b|\bthanks\s+(?:so\s+much\s+|"
        r"a\s+lot\s+|a\s+bunch\s+)?for\s+(?:ruining|wasting|nothing|the\s+(?:one|1)-?\s?star|the\s+"
        r"lecture)\b|\bthanks\s+a\s+lot\b|\b(?:never|always)\s+(?:happy|satisfied|complaining|moaning)\b|"
        r"\b(?:so|too|a\s+bit|a\s+little|being|very|rather|quite)\s+dramatic\b|\byour\s+(?:argument|"
        r"logic|reasoning|theory)\b|\bknows?\s+what\s+(?:he|she|they|we)(?:'re|'s|\s+is|\s+are)\s+"
        r"doing\b",
        "sarcastic",
    ),
    # Argumentative facts.
    _p(
        rf"{_SENT}(?:incorrect|wrong|false|untrue|nope)\s*[.!]|{_SENT}actually\s*,\s*(?=(?:[\w']+\s+){{0,2}}?"
        r"(?:you|your|our\s+(?:records|logs|system|staff|team)|that's|that\s+is|it\s+was|this\s+is)\b)|"
        r"\b(?:isn't|wasn't|is\s+not|was\s+not)\s+(?:\w+\s+)?(?:true|correct|accurate|the\s+case|what\s+"
        r"happened)\b|\b(?:our|the)\s+(?:records|logs|system|cctv|footage|notes|data|tracking|"
        r"recording|camera)\s+(?:clearly\s+|all\s+)?(?:shows?|says?|proves?|indicates?|tells?)\s+"
        r"(?:\w+\s+)?(?:otherwise|differently|a\s+different\s+story|the\s+opposite)\b|"
        r"\b(?:our|the)\s+(?:\w+\s+)?(?:records|logs|system|cctv|footage|notes|data|tracking|recording|"
        r"camera)\s+(?:clearly\s+)?(?:shows?|says?|proves?|indicates?|confirms?)\s+(?:that\s+)?you\s+"
        r"(?:never|didn't|did\s+not|cancelled|canceled|checked|arrived|signed|agreed|accepted|ignored|"
        r"declined|chose|opted|used|opened|closed|clicked|selected|entered|typed|skipped|exited|"
        r"switched|logged|missed|left|were\s+(?:late|told|warned|informed))\b",
        "argues facts with the customer",
    ),
    # Emotional reactions aimed at the customer.
    _p(
        r"\b(?:we|i|our\s+(?:\w+\s+)?(?:team|staff|crew|drivers?|colleagues|agents?|people|chefs?|"
        r"engineers?))(?:'re|'m|\s+are|\s+am|\s+is|\s+were|\s+was|\s+feel|\s+felt)\s+(?:\w+\s+){0,2}?"
        r"(?:upset|hurt|offended|angry|furious|livid|disgusted|insulted|outraged|fuming|appalled|"
        r"stunned|amazed|baffled|flabbergasted)\b(?!\s+(?:to\s+(?:hear|learn|read\s+about)|for\s+you|"
        r"on\s+your\s+behalf|about\s+what\s+happened\s+to\s+you))",
        "emotional: reacts with anger or offence",
    ),
    _p(r"\b(?:we've|we\s+have|i've)\s+had\s+it\s+with\b", "emotional: exasperated"),
    # Lecturing and condescending advice.
    _p(
        r"\bbefore\s+(?:ordering|booking|buying|travelling|traveling|arriving)\s+next\s+time\b|"
        r"\bactually\s+(?:read|reading|check|checking|look|looking)\b|"
        r"\bbefore\s+(?:asking|tweeting|posting|complaining|accusing|"
        r"moaning|blaming|ranting|kicking\s+off|jumping)\b|\bpatience,?\s+please\b|"
        r"\bhave\s+(?:some|a\s+little)\s+patience\b|\brules\s+are\s+there\s+for\b",
        "lectures the customer",
    ),
    # Condescension and passive aggression: judging the customer instead of the problem.
    _p(
        r"\byou(?:'ve|\s+have)?\s+(?:clearly|obviously|evidently)\s+never\b|"
        r"\b(?:more\s+than|very|extremely|incredibly|remarkably)\s+patient\s+with\s+you\b|"
        r"\b(?:ready|able|willing)\s+to\s+be\s+(?:civil|polite|reasonable|respectful)\b|"
        r"\byour\s+(?:messages?|tweets?|tone|language|comments?|behaviou?r|posts?)\s+(?:\w+\s+){0,2}?"
        r"(?:aggressive|rude|abusive|hostile|unpleasant|offensive|uncalled\s+for)\b|"
        r"\bbusy\s+(?:day|schedule|morning|afternoon|life|week)\s+of\s+\w+ing\b|"
        r"\bwe\s+hear\s+(?:this|that)\s+(?:a\s+lot|often|all\s+the\s+time)\s+from\b|"
        r"\bpeople\s+who\s+(?:forget|don't\s+read|didn't\s+read|can't\s+read|never\s+read|fail\s+to|"
        r"don't\s+check|didn't\s+check)\b|"
        r"\bwelcome\s+to\s+(?:(?:19|20)\d\d|the\s+real\s+world|adulthood)\b|"
        r"\b(?:that's|that\s+is)\s+(?:just\s+)?(?:life|inflation|how\s+it\s+works)\s*[.!]|"
        r"\bsure,?\s+(?:we'll|we\s+will|i'll)\s+get\s+right\s+on\s+(?:that|it)\b|"
        r"\byou(?:'ve|\s+have)\s+(?:\w+\s+)?(?:tweeted|messaged|contacted|emailed|called|rung|dm'?ed|"
        r"written\s+to|tagged|mentioned)\s+us\s+(?:\w+\s+){0,2}?times\b",
        "condescending or passive-aggressive",
    ),
    # Blame, siding with staff and minimising, phrased as matter-of-fact.
    _p(
        r"\bon\s+your\s+watch\b|\b(?:the|a)\s+risk\s+you\s+(?:take|run|took|ran)\b|"
        r"\b(?:inclined\s+to\s+)?(?:believe|trust|take)\s+(?:his|her|their|our\s+(?:\w+\s+)?\w+'s)\s+"
        r"(?:version|account|side|word)\b|\bstill\s+(?:cheaper|better|less)\s+than\b|"
        r"\bcan't\s+(?:wait\s+around|be\s+expected\s+to\s+wait)\b|"
        r"\bgoing\s+(?:round|around)\s+in\s+circles\b|,\s*(?:okay|ok)\s*\?|,\s*so\s*(?:\.{2,}|…)\s*$",
        "blames the customer, sides with staff or minimises",
    ),
    _p(
        r"\b(?:is|are|was)\s+(?:completely\s+|totally\s+|rather\s+)?pointless\b|"
        r"\bshouting\s+at\s+(?:me|us|our\s+\w+)\b|"
        r"\b(?:we're|we\s+are|we\s+might\s+be|i'm|i\s+am|a\s+bit|rather|quite|little)\s+"
        r"(?:a\s+bit\s+|a\s+little\s+)?(?:sceptical|skeptical|suspicious)\b|"
        r"\bwe\s+have\s+to\s+(?:ask|wonder|question)\s+(?:whether|if)\b|"
        r"\b(?:problem|issue|fault)\s+(?:might|may|could|must)\s+be\s+you\b",
        "accuses or brushes off the customer",
    ),
    _p(
        r"\brules\s+apply\s+to\s+everyone\b|\bno\s+more\s+(?:urgent|important|special)\s+than\b|"
        r"\bskill\s+issue\b|\bthe\s+respect\s+(?:they|he|she|we)\s+deserves?\b|"
        r"\b(?:the|your)\s+complaints?\s+(?:can|will|should|might)\s+(?:now\s+)?stop\b|"
        r"\bcrying\s+about\b|\bwhining\b|\bright\s+there\s+(?:on|in)\s+(?:every|the|our)\b|"
        r"\b(?:a\s+little|some|a\s+bit\s+of)\s+(?:gratitude|appreciation|respect|understanding|"
        r"patience)\s+(?:wouldn't|would\s+not|won't)\s+(?:hurt|go\s+amiss)\b|"
        r"\bjust\s+so\s+you\s+know,?\s+we\s+can\s+see\b",
        "lectures, minimises or mocks the customer",
    ),
    # --- polite blame: nothing rude is said, but the fault is put back on the customer
    _p(
        # "sorry you think ...": regrets the opinion, not what happened ("sorry you felt
        # unsafe" stays an apology)
        r"\bsorry\s+(?:that\s+)?you\s+(?:think|thought|believe|feel\s+(?:that|the|it|this|our|we))\b",
        "non-apology: regrets the customer's view, not what happened",
    ),
    _p(
        r"\b(?:every|all|most)\s+(?:other\s+)?(?:customers?|users?|passengers?|guests?|members?|"
        r"students?|people|residents?|clients?)\s+(?:else\s+)?(?:has\s+|have\s+)?(?:managed|"
        r"coped|had\s+no|found\s+it|got\s+on|did\s+it|manage[sd]?)\b|\bevery\s+other\s+"
        r"(?:customer|user|passenger|guest|member|student|resident|client)\b|"
        r"\b(?:no\s+one|nobody|no\s+other\s+(?:customer|user|guest|passenger))\s+else\s+"
        r"(?:has|had|seems|is)\b|\byou(?:'re|\s+are)\s+the\s+only\s+(?:one|customer|person)\b",
        "compares the customer unfavourably with others",
    ),
    _p(
        r"\b(?:these|those|the|all)\s+(?:charges?|fees?|costs?|calls?|bills?|debts?)\s+(?:are|were|"
        r"is|was)\s+(?:all\s+)?(?:yours|your\s+(?:own\s+)?(?:responsibility|problem|fault))\b|"
        r"\b(?:is|are|was|were|'s|'re)\s+(?:entirely\s+|solely\s+)?your\s+(?:own\s+)?"
        r"(?:responsibility|problem|fault|doing|lookout)\b|\bthat(?:'s|\s+is)\s+on\s+you\b",
        "puts the fault on the customer",
        skip_before=r"\b(?:not|never|isn't|wasn't|aren't)\s+$",
    ),
    _p(
        # "We did email you." insists on the record; the apology is missing
        r"\b(?:we|i)\s+did\s+(?:in\s+fact\s+|actually\s+|already\s+)?(?:email|e-mail|tell|inform|"
        r"notify|warn|explain|remind|advise|text|message|write\s+to|contact|send\s+you)\b|"
        r"\b(?:we|i)\s+did\s*[.!]",
        "defensive: insists the customer was told",
        skip_before=r"\b(?:if|whether|sorry|apologies|that|which)\s+$",
    ),
    _p(
        r"\b(?:we've|we\s+have|i've|i\s+have|we|i)\s+(?:already\s+)?(?:said|told\s+you|explained|"
        r"mentioned|answered|covered)\s+(?:this|it|that)?\s*(?:\w+\s+times|twice|repeatedly|"
        r"before|already|more\s+than\s+once)\b",
        "exasperated: says it has been said before",
    ),
    _p(
        r"\bexpectations\s+(?:were|are|may\s+have\s+been|might\s+have\s+been|seem|seemed)\s+"
        r"(?:to\s+have\s+been\s+|to\s+be\s+)?(?:a\s+(?:little|bit)\s+|slightly\s+|too\s+|rather\s+|"
        r"quite\s+)?(?:high|unrealistic|out\s+of\s+line)\b|\bunrealistic(?:ally)?\s+(?:high\s+)?"
        r"expect",
        "dismisses the customer's expectations",
    ),
    _p(r"(?:^|[.!?;:]\s*|,\s*|@\w+\s+)to\s+be\s+fair\b", "defensive framing"),
    _p(
        r"\b(?:we'd|we\s+would|we'd\s+have|one\s+would)\s+(?:have\s+)?expected\s+(?:you|a\s+customer|"
        r"anyone|most\s+people)\s+to\b|\bif\s+(?:the\s+)?(?:instructions|steps|guidance|manual|"
        r"guide|advice|directions)\s+(?:had\s+been|were|was)\s+(?:followed|read)\b|"
        r"\b(?:if\s+you\s+(?:had|'d)|had\s+you)\s+(?:just\s+|actually\s+|simply\s+)?(?:read|"
        r"followed|checked|listened|paid\s+attention|bothered|looked)\b",
        "blames the customer (what they should have done)",
    ),
    _p(
        r"\bhard\s+to\s+(?:see|understand|believe)\s+how\b|\b(?:not|don't|do\s+not|can't|cannot)\s+"
        r"(?:see|understand)\s+how\s+you\b|\bhow\s+you\s+(?:could\s+(?:have\s+|'ve\s+)?)?missed\b",
        "disbelieves the customer",
    ),
    _p(
        r"\b(?:could|may|might|must|will)\s+(?:well\s+|very\s+well\s+|just\s+)?be\s+(?:down\s+to\s+|"
        r"on\s+)?your\s+(?:own\s+)?(?:end|side|lighting|device|phone|connection|wi-?fi|router|"
        r"settings|browser|setup|skin|eyes|screen|fault|mistake|error)\b",
        "blames the customer's side",
    ),
    _p(
        r"\b(?:someone|somebody|you)\s+(?:is|are)\s+actually\s+(?:home|in|there|available)\b|"
        r"\bmake\s+sure\b[^.!?]{0,50}\bthis\s+time\b|[—–-]\s*again\s*[.!]|"
        r"\b(?:dm|message|contact|talk\s+to|speak\s+to|write\s+to|email|call)\s+(?:us|me)\s+calmly\b|"
        r"\bangry\s+emojis?\b|\b(?:doesn't|don't|won't|do\s+not|does\s+not)\s+(?:really\s+)?help\s+us\s+"
        r"help\s+you\b",
        "patronising",
    ),
    _p(
        r"\b(?:maybe|perhaps)\s+(?:it|this|the\s+\w+|our\s+\w+)\s+(?:just\s+)?(?:isn't|is\s+not|"
        r"wasn't|was\s+not)\b|\b(?:isn't|is\s+not|wasn't)\s+(?:really\s+|quite\s+)?the\s+right\s+"
        r"(?:\w+\s+){1,2}for\s+you\b",
        "dismisses the customer (suggests they are the problem)",
    ),
    _p(
        r"\bwhich\s+is\s+why\s+(?:it|the\s+\w+|your\s+\w+)\s+(?:was|were|got|has\s+been)\s+"
        r"(?:cancelled|canceled|closed|suspended|declined|rejected|refused|blocked|disconnected|"
        r"cut\s+off|removed)\b",
        "defensive: justifies the outcome instead of helping",
    ),
    _p(
        r"(?:^|[.!?]\s+)as\s+(?:usual|always|ever)\s*[.!]|\bsorry\s+not\s+sorry\b|"
        r"\bagainst\s+our\s+better\s+judge?ment\b|\b(?:don't|do\s+not)\s+expect\s+(?:this|that|it)\s+"
        r"(?:every|each|again|next)\b|\bsince\s+you\s+keep\s+(?:messaging|complaining|asking|tweeting|"
        r"posting|calling|emailing|chasing)\b|\b(?:stops?|ends?)\s+the\s+complaints?\b|\bthat(?:'s|\s+is)"
        r"\s+the\s+end\s+of\s+(?:it|that|the\s+matter)\b|\b(?:can't|cannot|won't)\s+keep\s+(?:answering|"
        r"repeating|explaining|replying)\b|\bthe\s+same\s+questions?\s+(?:every|over|again)\b",
        "sarcastic or grudging",
    ),
    _p(
        r"\b(?:tenants|customers|passengers|guests|members|users|students|patients|residents|"
        r"policyholders|clients|drivers|riders)\s+(?:are|were)\s+(?:expected|required|obliged|"
        r"supposed|responsible)\s+(?:to|for)\b|\bif\s+(?:this|it|the\s+\w+|they)\s+had\s+been\s+"
        r"(?:raised|reported|flagged|done|booked|submitted|sent|paid|returned|cancelled|fixed)\s+"
        r"(?:earlier|sooner|on\s+time|in\s+time|straight\s+away|at\s+the\s+time)\b",
        "blames the customer (what they were expected to do)",
    ),
    _p(
        r"\bthanks\s+for\s+(?:the|your)\s+['\"]\w+(?:\s+\w+)?['\"]|\bnot\s+(?:a\s+)?(?:fault|problem|"
        r"issue)\s+(?:on|at)\s+our\s+(?:side|end)\b|\bto\s+(?:end|close|put\s+an\s+end\s+to)\s+"
        r"(?:this|the\s+matter|it|the\s+conversation)\b|\b(?:won't|will\s+not)\s+be\s+(?:reviewing|"
        r"looking\s+at|discussing|responding\s+to|revisiting)\s+(?:it|this|that|the\s+matter|your\s+"
        r"\w+)\s+(?:again|further|any\s+further)\b|\b(?:won't|will\s+not|doesn't|does\s+not)\s+change\s+"
        r"anything\b|\bshouting\s+at\s+(?:the|our)\s+\w+",
        "defensive or dismissive",
    ),
    _p(
        r"\byou\s+(?:signed|agreed\s+to|accepted|ticked|read)\s+(?:the|our)\s+(?:waiver|terms|contract|"
        r"agreement|conditions|t&cs|t\s*&\s*cs|disclaimer|policy)\b|\bwhen\s+(?:it's|they're|it\s+is|"
        r"they\s+are)\s+ready\s*[.!]",
        "defensive or dismissive",
        skip_before=r"\b(?:if|whether|once|as)\s+$",
    ),
    _p(
        r"\b(?:we're|we\s+are|i'm|i\s+am)\s+(?:very\s+|really\s+|quite\s+|so\s+)?(?:disappointed|upset|"
        r"hurt|saddened|offended)\s+(?:to\s+see\s+(?:this|that|your|these|such|comments?)|by\s+(?:your|"
        r"this|these|such)|that\s+you)\b|"
        r"\b(?:posted|aired|shared)\s+(?:this\s+)?publicly\b",
        "emotional: hurt by the customer",
    ),
    _p(
        r"\bexplain\b[^.!?]{0,30}\bslowly\b|\b(?:i've|i\s+have|we've|we\s+have)\s+been\s+doing\s+this\s+"
        r"(?:job\s+|work\s+)?for\b|\bnever\s+(?:once\s+)?seen\s+(?:anyone|anybody|a\s+customer)\s+"
        r"(?:else\s+)?(?:have|with|get)\b",
        "patronising: questions the customer's competence",
    ),
    # Mocking emoji: an eye-roll or upside-down smile reads as sarcasm in any reply.
    _p(
        "[\U0001F643\U0001F644\U0001F612\U0001F60F\U0001F971\U0001F926\U0001F937\U0001F602"
        "\U0001F923\U0001F440]",
        "sarcastic emoji",
    ),
    # --- typography
    _p(r"!{2,}|[!?]*(?:\?!|!\?)[!?]*|\?{2,}", "stacked exclamation or question marks"),
)

# Acronyms and codes that are legitimately written in capitals.
_ACRONYMS = wordset(
    """
    FAQ FAQS DM DMS PNR ETA ETD USA UK EU US TSA FAA CAA IATA NASA HTTP HTTPS URL PIN
    ATM API CEO CFO COO CTO COVID FYI UTC GMT BST CET CEST EST EDT PST PDT CST AM PM ID
    IT OK SMS MMS APP ASAP NHS HMRC DVLA IKEA HSBC USPS UPS DHL FEDEX NYSE KLM BA AA JFK
    LAX LHR LGW SFO ORD ATL DFW BOS NYC VAT GDPR ISP VPN SIM ESIM PDF QR GPS TV HD UHD
    ATC ADA RSVP AT&T EE BT TSB RBC NatWest IRS SSN TFL TFW LNER GWR CEO PR Q&A T&C T&CS
    TNC IVR CS CX UX IOS WIFI WI FI LED LCD USB ISA PPI APR ETIAS ESTA CBP DOT NTSB EASA
    ICAO AIRLINE ABS NFC EMV OTP SIM CD PDF UPI
    """
)
# A lone capitalised word is shouting when it is an ordinary emphatic word; an unknown lone
# one is far more often an acronym nobody listed (IMEI, CHAPS, CCTV, SWIFT). Two or more
# capitalised words in a row that are not acronyms are shouting whatever they are.
_SHOUTED_SHORT = wordset(
    """
    NOT YOU ALL ANY CAN WHY AND THE ARE WAS DID HAS HAD OUR NOW YES NO DO WE IS SO
    NEVER ALWAYS PLEASE REALLY STOP EVERY EVERYONE NOTHING NOBODY NONE WRONG READ CLEARLY
    ONLY VERY TOLD ALREADY AGAIN EXACTLY SERIOUSLY ACTUALLY LITERALLY YOUR YOURS FAULT
    WHAT WHEN WHERE THAT THIS THESE THOSE THEY THEM THEIR MUST WILL WONT CANT DONT DIDNT
    ISNT WASNT NEED NEEDS HAVE JUST STILL EVEN MORE MANY MUCH LOOK LISTEN CALM RELAX
    FINE FINAL OBVIOUSLY DEFINITELY ABSOLUTELY TOTALLY COMPLETELY RIDICULOUS UNACCEPTABLE
    TWICE THREE TIMES FIRST LAST HERE THERE SAID SAYS EXPLAINED EVERYTHING ANYTHING
    NOBODY'S YOU'RE WE'RE IT'S DON'T CAN'T WON'T DIDN'T ISN'T WASN'T HAVEN'T THAT'S
    """
)
# Hyphen-joined capitals are codes (case references "CD-7K2MQX", flight "AA-1234"), not
# shouting: a capital word must stand on its own.
_CAPS_WORD = re.compile(r"(?<![@#\w&-])[A-Z]{2,}(?:'[A-Z]+)?(?![\w&-])")


def _shouting(text: str) -> Iterable[Violation]:
    words = [(m.start(), m.end(), m.group()) for m in _CAPS_WORD.finditer(text)]
    run: list[tuple[int, int, str]] = []

    def flush() -> Iterable[Violation]:
        loud = [w for w in run if w[2] not in _ACRONYMS]
        if loud and (len(loud) >= 2 or any(w[2] in _SHOUTED_SHORT for w in loud)):
            yield Violation("tone", run[0][0], run[-1][1], "shouting in capitals")

    for word in words:
        if run and not re.fullmatch(r"[\s,.'!?-]*", text[run[-1][1] : word[0]]):
            yield from flush()
            run = []
        run.append(word)
    if run:
        yield from flush()


def find(text: str) -> list[Violation]:
    """Return tone violations in text (already normalised by the caller)."""
    found: list[Violation] = []
    for pattern in PATTERNS:
        for m in pattern.regex.finditer(text):
            if pattern.skip_before and pattern.skip_before.search(
                text[max(0, m.start() - pattern.window) : m.start()]
            ):
                continue
            found.append(Violation("tone", m.start(), m.end(), pattern.message))
    found.extend(_shouting(text))
    found.sort(key=lambda v: (v.start, -v.end))
    merged: list[Violation] = []
    for v in found:
        if merged and v.start < merged[-1].end:
            continue
        merged.append(v)
    return merged
