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


_CONDITIONAL = r"\b(?:if|when|whether|in\s+case)\s+$"


def _p(
    pattern: str, message: str, *, skip_after_if: bool = False, skip_before: str | None = None
) -> _Pattern:
    before = skip_before or (_CONDITIONAL if skip_after_if else None)
    return _Pattern(
        re.compile(pattern, re.I), message, re.compile(before, re.I) if before else None
    )


_BE = r"(?:'s|'re|\s+is|\s+are|\s+was|\s+were)"
_WE_BE = r"(?:we|i)(?:'re|'m|\s+are|\s+am|\s+were|\s+was)"
_PARTICIPLE = (
    r"(?:\w+ed|read|done|known|come|gone|taken|paid|brought|kept|put|told|sent|made|left|"
    r"written|given|seen|bought|chosen|packed|shown|spoken|understood|thought|heard)"
)
_RECEIPT = (
    r"(?:received|got|gotten|been|had\s+(?:a|an|our)|seen\s+(?:a|an|our|the\s+(?:email|message|"
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
        r"\byou\s+(?:should|ought\s+to)\s+(?:not|never)\s+have\b|\byou\s+shouldn't\s+have\b",
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
        r"\b(?:that|this|it)(?:'s|\s+is|\s+was)\s+(?:all\s+)?(?:on|down\s+to)\s+you\b",
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
        skip_before=r"\b(?:sorry|apologies|that|if|when|whether|because|we're\s+sorry)\s+$",
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
        r"\bnothing\s+(?:more\s+|else\s+|further\s+)?(?:we|i)\s+(?:can|could)\s+(?:do|have\s+done)\b",
        "dismissive: nothing we can do",
    ),
    _p(
        r"\brules\s+are\s+rules\b|\bpolicy\s+is\s+policy\b|\bit\s+is\s+what\s+it\s+is\b|"
        r"\bend\s+of\s+(?:story|discussion|conversation)\b|\bnothing\s+(?:more|else|further)\s+to\s+"
        r"(?:discuss|say|add)\b|\bfull\s+stop\b|\bperiod\s*[.!]\s*$",
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
    _p(r"\b(?:quite\s+)?frankly\b|\bhonestly\b|\bto\s+be\s+(?:frank|blunt)\b", "emotional framing"),
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
        r"\b(?:idiots?|idiotic|stupid|morons?|moronic|dumb|clowns?|crybaby|liars?|karens?|whiny|"
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
    _p(r"\b(?:ugh+|sigh)\s*[,.!]", "sarcastic or exasperated"),
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
    _p(r"\b(?:nonsense|rubbish|baloney|garbage|hogwash)\b", "dismisses the complaint"),
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
# Short all-caps words that are ordinary English, so writing them in capitals is shouting.
_SHOUTED_SHORT = wordset(
    """
    NOT YOU ALL ANY CAN WHY AND THE ARE WAS DID HAS HAD OUR NOW YES NO DO WE IS
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
        if loud and (len(loud) >= 2 or any(len(w[2]) >= 4 or w[2] in _SHOUTED_SHORT for w in loud)):
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
                text[max(0, m.start() - 20) : m.start()]
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
