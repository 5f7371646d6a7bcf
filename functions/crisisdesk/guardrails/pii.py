"""PII rule: contact details, payment cards, booking codes, addresses and other people."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import phonenumbers

from crisisdesk.guardrails._text import wordset
from crisisdesk.guardrails.model import Violation

CASE_REFERENCE = re.compile(r"\bCD-[A-Z0-9]{6}\b")

_EMAIL = re.compile(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
# "jane at gmail dot com" style obfuscation still leaks the address.
_EMAIL_SPELLED = re.compile(
    r"\b[\w.+-]+\s*(?:\[at\]|\(at\)|\sat\s)\s*[\w-]+\s*(?:\[dot\]|\(dot\)|\sdot\s)\s*"
    r"(?:com|net|org|co|uk|io|de|fr|ie|au|ca|us)\b",
    re.I,
)
_HANDLE = re.compile(r"(?<![\w@.])@([A-Za-z0-9_]{1,30})\b")
_CARD_CANDIDATE = re.compile(r"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])")
# A masked card still shows its first and last digits ("4539 **** **** 7781").
_CARD_MASKED = re.compile(r"\b\d{4}(?:[ -]?(?:[*xX•]{4}|[*xX•]{2,})){1,3}[ -]?\d{2,4}\b")
_CARD_TAIL = re.compile(
    r"\b(?:card|account|acct|visa|mastercard|amex|debit|credit)\s+(?:card\s+)?(?:number\s+)?ending\s+"
    r"(?:in\s+|with\s+)?\d{2,4}\b|"
    # "your GTBank card ...3309", "account **4471"
    r"\b(?:card|account|acct)\s*(?:number\s*)?(?:\.{2,}|…|[*xX•]{2,})\s?\d{2,4}\b|"
    # any identifier quoted by its last characters: "the one ending 8812", "VIN ending 7K2291"
    r"\b(?:ending|ends)\s+(?:in\s+|with\s+)?(?=[\dA-Z()]*\d)[\dA-Z][\dA-Z()]{2,}",
    re.I,
)

# Identifiers introduced by a keyword: "PNR ABC123", "order #55821934", "confirmation is LM4P8S".
_ID_KEYWORD = (
    r"(?:booking|reservation|confirmation|conf|pnr|record\s+locator|locator|reference|ref|order|"
    r"ticket|account|acct|tracking|membership|loyalty|frequent\s+flyer|policy|claim|invoice|"
    r"voucher|customer|member|passport|meter|serial|agreement|contract|application|parcel|"
    r"consignment|shipment|waybill|licen[cs]e|registration|transaction|prescription|client|"
    r"student|patient|supplier|tenancy|vehicle|return|rma)"
)
_ID_FILLER = (
    r"(?:\s*(?:number|num|no\.?|code|ref(?:erence)?|id|is|was|#|:|\(|under|of|serial|"
    r"you\s+sent|you\s+gave(?:\s+us)?))*"
)
_KEYED_ID = re.compile(
    # the code is never itself a keyword ("vehicle booking FRY-882340": the code follows "booking")
    rf"\b{_ID_KEYWORD}\b{_ID_FILLER}\s*#?\s*(?!{_ID_KEYWORD}\b)"
    rf"(?P<code>[A-Za-z0-9][A-Za-z0-9-]{{3,24}})\b",
    re.I,
)
_SUPPORT_REF = re.compile(
    r"\b(?:case|support\s+ticket|ticket|complaint|incident)\s+(?:reference\s+|ref\.?\s+|number\s+|"
    r"no\.?\s+|id\s+)?(?:is\s+)?#?\s*(?P<code>[A-Z0-9][A-Z0-9-]{2,15})\b"
    # a brand-style reference ("FR-90117", "INS-CASE-7734") introduced as a reference
    r"|\b(?:ref(?:erence)?)\b\.?\s*(?:is\s+|number\s+|no\.?\s+)?[:#(]?\s*"
    r"(?P<code2>[A-Z]{2,5}(?:-[A-Z]{2,6})?-\d{3,8})\b"
)
_OUR_CASE_BEFORE = re.compile(r"\b(?:case|ticket|complaint|report|query|enquiry|inquiry)\W*$")
# Keywords that make a nearby reference the customer's own identifier, not our case.
_CUSTOMER_ID_BEFORE = re.compile(
    r"\b(?:booking|reservation|order|policy|tracking|return|account|membership|invoice|pnr|"
    r"confirmation|passport|licen[cs]e|registration|meter|tenancy|loyalty|parcel)\b"
    # "passed it to the membership team (ref GY-12094)": the team's case, not the customer's id
    r"(?!\s+(?:team|department|desk|dept|office|staff|specialists?))[^.!?]{0,15}$",
    re.I,
)
# Bare PNR-like tokens: 6-8 uppercase alphanumerics mixing letters and digits.
_BARE_CODE = re.compile(
    # not after "@": a handle such as @VELO143 is a name, handled by the handle rule
    r"(?<![\w@-])(?=[A-Z0-9]{6,8}\b)(?=(?:[A-Z]*\d){2})(?=(?:\d*[A-Z]){2})[A-Z0-9]{6,8}\b"
)
# Longer mixed identifiers (licence numbers, meter serials): 9-18 capitals and digits, at
# least three of each.
_LONG_CODE = re.compile(
    r"(?<![\w@-])(?=[A-Z0-9]{9,18}\b)(?=(?:[A-Z]*\d){3})(?=(?:\d*[A-Z]){3})[A-Z0-9]{9,18}\b"
)
_FLIGHT_LIKE = re.compile(
    r"^(?:[A-Z]{2}\d{3,4}|[A-Z]\d{3,5}|[A-Z]{2,3}\d{2,3}[A-Z]?|\d+[A-Z]{1,2})$"
)
_NOT_CODE_BEFORE = re.compile(
    r"(?:flight|gate|seat|platform|terminal|model|version|route|bus|train|service|"
    r"stand|aircraft|plane|track|line|room|eu)\s*$",
    re.I,
)

# 5+ digits, whole or in groups ("3310 2285", "3301-77852-0"); not money, not "10,000".
_DIGIT_RUN = re.compile(
    r"(?<![\w$£€¥₹₦#.,:/+-])(?:\d{5,}|\d{2,}(?:-\d+)+|\d{3,}(?:\s\d{3,})+)(?![\w%]|[.,]\d)"
)
_PREFIXED_CODE = re.compile(r"(?<![\w@#-])[A-Z]{1,5}-?\d{4,}(?:-\d+)?\b")
_QUANTITY_AFTER = re.compile(
    r"\s*(?:\+|k\b|m\b|customers|people|points|miles|km|kg|users|homes|households|properties|"
    r"passengers|subscribers|followers|steps|members|litres|liters|mb|gb|units|kwh|words)",
    re.I,
)

_STREET_SUFFIX = (
    r"street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|way|place|pl|"
    r"terrace|close|crescent|cres|highway|hwy|parkway|pkwy|square|sq|grove|gardens|gdns|mews|"
    r"circle|cir|trail|plaza|parade|quay|wharf|row|walk|hill|green|rise|vale|view|park|"
    r"esplanade|promenade|embankment"
)
_ADDRESS = re.compile(
    rf"\b(?P<num>\d{{1,5}}(?:/\d{{1,5}})?[A-Za-z]?),?\s+(?P<name>(?:[A-Za-z][A-Za-z'.-]*\s+){{1,3}})"
    rf"(?P<suffix>{_STREET_SUFFIX})\b\.?",
    re.I,
)
# Short or ambiguous suffixes need a capitalised street name ("12 Elm Way", not "2 more ways").
_WEAK_SUFFIX = wordset(
    """
    st dr ct pl way close place court square circle trail row walk hill green rise vale
    view park
    """
)
_NOT_STREET_WORD = wordset(
    """
    the a an of to in on at for by and or with from more other minutes minute hours hour
    days day weeks week months month years year people customers passengers bags items
    times ways our your their his her its my we you they it is are was were be been this
    that these those all any some few many much very just only about around over under
    after before every each
    """
)
# No street suffix, but a house number, a capitalised street and a town after a comma.
_ADDRESS_TOWN = re.compile(
    r"\b(?:at|to|from|for|as|address(?:\s+is)?|live\s+at|lives\s+at)\s+"
    r"(?P<num>\d{1,4}(?:/\d{1,4})?[A-Za-z]?)\s+"
    # "3 Maes y Coed, Pontypridd": street names may hold a lower-case particle
    r"(?P<street>[A-Z][a-z]+(?:\s+(?:y|yr|de|la|du|des|del|da|di|an|na)\s+[A-Z][a-z]+|"
    r"\s+[A-Z][a-z]+)?),\s+(?P<town>[A-Z][a-z]+)\b"
)
_UNIT = re.compile(r"\b(?:apt|apartment|flat|suite|unit)\.?\s*#?\d+[A-Za-z]?\b(?!\s*%)", re.I)
# Streets named before the number's street word: "7 Heol y Nant", "12 Rue Sainte-Anne".
_STREET_PREFIX = re.compile(
    r"\b\d{1,5}[A-Za-z]?,?\s+(?i:Heol|Ffordd|Stryd|Lon|Rue|Calle|Avenida|Via|Viale|Jalan|Jln|"
    r"Lorong|Rua|Strasse|Straße|Boulevard|Avenue)\s+(?:(?:y|yr|de|la|du|des|del|da|di)\s+)?"
    r"[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*){0,2}"
)
# "2214 N Halsted", "Plot 112, Kigamboni", "Erf 4410", "Blk 231".
_DIRECTION_STREET = re.compile(r"\b\d{1,5}\s+[NSEW]\.?\s+[A-Z][a-z]{2,}\b")
_PLOT = re.compile(r"\b(?:plot|erf|blk|stand\s+no\.?)\s*#?\d{1,5}[A-Za-z]?\b", re.I)
# A date of birth, in any order of day, month and year.
_BIRTH_DATE = re.compile(
    r"\b(?:date\s+of\s+birth|dob|d\.o\.b\.?|born\s+on|birthday)\b[^.!?\d]{0,20}"
    r"\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}",
    re.I,
)
# "plate ER4 71K", "reg 191-KY-2288": short spaced codes after a vehicle word.
_PLATE = re.compile(
    r"\b(?:plate|number\s+plate|licen[cs]e\s+plate|reg(?:istration)?(?:\s+number)?)\s+"
    r"(?=[A-Z0-9 -]*\d)(?=[A-Z0-9 -]*[A-Z])[A-Z0-9]{1,4}(?:[ -][A-Z0-9]{1,5}){1,2}\b",
    re.I,
)
_HOUSE_NUMBER = re.compile(r"\b(?:at|to|from|outside)\s+number\s+\d{1,4}[A-Za-z]?\b", re.I)
_UK_PLATE = re.compile(r"\b[A-Z]{2}\d{2}\s?[A-Z]{3}\b")
_UK_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s+\d[A-Z]{2}\b")
_US_STATE_ZIP = re.compile(r"\b[A-Z]{2}\s+\d{5}(?:-\d{4})?\b")
_ADDRESS_PARTS = (
    _BIRTH_DATE,
    _PLATE,
    _UNIT,
    _UK_POSTCODE,
    _US_STATE_ZIP,
    _HOUSE_NUMBER,
    _STREET_PREFIX,
    _DIRECTION_STREET,
    _PLOT,
)

_TITLE_NAME = re.compile(
    # titles and honorifics of many places: "Mr D. Fraser", "Reverend Allen", "Pak Agus"
    r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Madam|Mister|Reverend|Rev|Pastor|Father|Fr|Imam|Rabbi|"
    r"Pak|Bu|Ibu|Kak|Mbak|Bapak|Auntie|Aunty|Alhaji|Alhaja|Mzee|Bwana|Shri|Smt)\.?\s+"
    r"(?:[A-Z]\.\s?)?[A-Z][a-z'-]+(?:\s+[A-Z][a-z'-]+)?"
)
_UPPER = "A-ZÀ-ÖØ-Þ"
_LOWER = "a-zß-öø-ÿ"
_CAP = rf"[{_UPPER}][{_LOWER}'-]+"
_PARTICLE = r"(?:van|von|de|da|del|della|der|den|di|du|dos|das|le|la|bin|ibn|al|el|ter|ten)\b"
# A gamer tag or username without "@": "ShadowFox_88", "xX_sniper_Xx", "NightOwl42".
_GAMER_TAG = r"(?-i:[A-Za-z]\w*_\w+|[A-Z][a-z]+[A-Z]\w*\d+)"
_ROLE_NAME = re.compile(
    r"\b(?:passenger|customer|guest|traveller|traveler|client|patient|user|cardholder|"
    r"card\s+holder|account\s+holder|caller|rider|diner|tenant|resident|policyholder|"
    r"neighbou?r|shopper|buyer|subscriber|member\s+of\s+the\s+public|host|flatmate|roommate|"
    r"housemate|landlord|landlady|seller|vendor|partner|husband|wife|friend|carer|colleague|"
    r"sister|brother|mother|father|mum|mom|dad|son|daughter|cousin|aunt|uncle|grandmother|"
    r"grandfather|gran|grandma|grandad|grandpa|niece|nephew|driver|teacher|companion|fianc[eé]e?|"
    r"boyfriend|girlfriend|spouse|child|kid|grandson|granddaughter|stepson|stepdaughter|"
    r"stepmother|stepfather|sibling|parent|guardian|nanny|babysitter|cleaner|assistant|boss|"
    r"manager|employee|housekeeper|neighbor|teammate|guildmate|clanmate|squadmate|player|"
    r"opponent|technician|engineer|teller|agent|adviser|advisor|nurse|doctor|officer|courier|"
    r"cashier|clerk|receptionist|installer|plumber|electrician|inspector|contractor)s?(?:-in-law)?,?\s+"
    r"(?:named\s+|called\s+)?"
    # the name itself is case-sensitive: "flatmate Kagiso at the gate" names Kagiso only
    rf"(?P<name>(?-i:{_CAP}(?:\s+{_PARTICLE})*(?:\s+{_CAP})?|{_GAMER_TAG}))",
    re.I,
)
_POSSESSIVE_PERSON = re.compile(
    r"(?<![@\w])(?P<name>[A-Z][a-z]+)'s\s+(?:teacher|mum|mom|dad|mother|father|class|school|"
    r"carer|doctor|gp|prescription|homework|parents|results|grades|appointment|medication)\b"
)
_NAMED = re.compile(
    r"\b(?:named|called|name\s+is|name's|name\s+was|name\s+of|(?:under|in)\s+(?:the\s+)?name|"
    r"identified\s+as|known\s+as|goes\s+by|"
    rf"\bname[,:])\s+(?P<name>{_CAP})"
)
# "yours and Rhodri's", "you and Akosua": someone named beside the recipient.
_BESIDE_YOU = re.compile(rf"\b(?:you|yours|your\s+\w+)\s+and\s+(?P<name>{_CAP})")
# "the Brennan family in cabin 7144": a surname with a household word.
_FAMILY = re.compile(
    rf"\bthe\s+(?P<name>{_CAP})\s+(?:family|household|twins|couple|kids|children|party|residence)\b"
)
# Any capitalised word: candidates for a lone given name ("left with Karen at number 14").
_CAP_WORD = re.compile(rf"(?<![\w@#'-])[{_UPPER}][{_LOWER}]+(?:-[{_UPPER}][{_LOWER}]+)?(?![\w-])")
# Words around a lone name that make it a person, not a product or a place.
_PERSON_BEFORE = re.compile(
    r"\b(?:with|to|from|by|for|and|told|asked|gave|handed|called|emailed|messaged|met|saw|ask|"
    r"tell|thanked|via|between|than|signed\s+by|collected\s+by|delivered\s+to|left\s+with|"
    r"sent\s+to|paid\s+to|spoke\s+(?:to|with)|spoken\s+(?:to|with)|for\s+whom|"
    r"(?:rider|driver|agent|courier|caller|engineer|technician|person|seller|buyer|teller|"
    r"guard|officer|tenant|landlord)\s+(?:was|is))\s+$",
    re.I,
)
# Roles a name can stand in apposition to: "Esi, the teller", "Gary, the driver on that run".
_APPOSED_ROLE = (
    r"teller|driver|agent|technician|engineer|manager|nurse|doctor|rider|courier|officer|guard|"
    r"cashier|clerk|adviser|advisor|representative|receptionist|chef|waiter|waitress|barista|"
    r"steward|attendant|conductor|pilot|colleague|neighbou?r|landlord|tenant|seller|contractor|"
    r"installer|plumber|electrician|inspector"
)
_PERSON_AFTER = re.compile(
    r"^(?:'s\s+[a-z]|\s+(?:said|says|told|confirmed|signed|took|collected|booked|ordered|paid|"
    r"called|rang|mentioned|reported|sent|received|returned|picked|left|dropped|has|had|was|"
    r"is|will|would|did|who|agreed|accepted|complained|asked|used|let|gave|handed|opened|"
    r"answered|emailed|messaged|phoned|from\s+(?:your|the|our|their|his|her))\b|"
    r"\s+at\s+(?:number|no\.?|flat|unit|apt|\d)|,\s+(?:the|our|your|a|an)\s+(?:[a-z-]+\s+){0,2}"
    # a known given name may also be apposed to a looser set of roles
    rf"(?:{_APPOSED_ROLE}|rep|server|host|captain|member|guest|customer|passenger|fitter)\b)"
)
# "checked with Esi, the teller who served you": a name in apposition to a role, known
# given name or not (sentence-initial words must be known names: "Sorry, the driver ...").
_APPOSITION = re.compile(
    rf"(?P<name>{_CAP}),\s+(?:the|our|your)\s+(?:[a-z-]+\s+){{0,2}}(?:{_APPOSED_ROLE})\b"
)
# Our own people introduce themselves or sign off: "I'm Priya from the care team", "^Sam".
# Naming a colleague ("our technician Ray", "Gary, the driver, has been spoken to") is not
# the writer's own name: it is flagged like anyone else's.
_STAFF_BEFORE = re.compile(
    r"(?:\b(?:i'm|i\s+am|this\s+is|it's|my\s+name(?:'s|\s+is)|"
    r"cheers|thanks|regards|best|warmly|kind\s+regards|many\s+thanks)[,\s]*|[-^~/*]\s*)$",
    re.I,
)
# Names that are also common words or places: flagged in naming contexts only (role,
# title, "named", full name), never as a lone capitalised word.
_AMBIGUOUS_NAMES = wordset(
    """
    amber april austin bill bob carol charlotte chelsea dawn dean eve faith florence frank
    georgia grace hazel holly iris ivy jack jean jordan joy june lee mark max miles pat penny
    rose ruby sue summer victoria wade will may hope sandy rusty hunter chase drew guy
    """
)
# A full name ("Sarah Jenkins") or a possessive first name ("Sarah's booking").
_CAP_PAIR = re.compile(
    rf"(?<![@\w-])(?P<first>[{_UPPER}][{_LOWER}]+)(?:(?:\s+{_PARTICLE})*\s+"
    rf"(?P<last>[{_UPPER}][{_LOWER}'-]+(?:-[{_UPPER}][{_LOWER}]+)?)|(?P<poss>'s)\b)"
)
_POSSESSIVE_PLACE = re.compile(
    r"\s+(?:Quay|Park|Square|Cross|Bridge|Green|Hill|Lane|Road|Street|Wharf|Court|Place|Gate|"
    r"Walk|Row|Island|Bay|Point|Creek|Well|Church|Cathedral|College|Hospital|Inn|Field|Wood)\b"
)
_PLACE_AFTER = re.compile(
    r"\s+(?:store|branch|outlet|shop|office|station|depot|centre|center|mall|hub|campus|site|"
    r"clinic|hospital|hotel|location)s?\b",
    re.I,
)
# Capitalised words after a given name that make the pair a place or an organisation.
_NOT_SURNAME = wordset(
    f"""
    {_STREET_SUFFIX.replace("|", " ")} branch office store hospital clinic hotel airport
    station centre center bank school college university park bridge house hall arena
    stadium team app card plus pro premium gold silver club lounge terminal market mall
    library museum church mosque temple cathedral theatre theater cinema gallery
    """
)
# "signed for by 'J. Murphy'": an initial and a surname after a person word or a quote.
_INITIAL_SURNAME = re.compile(
    r"(?:\b(?:by|to|from|with|for|and|mr|mrs|ms|dr)\s+['\"]?|['\"])"
    r"(?P<name>[A-Z]\.\s?[A-Z][a-z]{2,})\b"
)
_GREET = (
    r"(?:hi|hello|hey|dear|morning|evening|afternoon|thanks|thank\s+you|good\s+(?:morning|"
    r"afternoon|evening)|sorry|oh\s+no)[,!]?\s+"
)
_GREETING_BEFORE = re.compile(rf"\b{_GREET}(?:@\w+[,:]?\s+)*$", re.I)
_TEXT_START = re.compile(r"^\s*(?:@\w+[,:]?\s+)*$")

FIRST_NAMES = wordset(
    """
    aaron abigail adam adrian ahmed aidan aisha alan albert alex alexander alexandra
    alice alicia alison amanda amber amelia amir amy ana andre andrea andrew angela anna
    anne anthony antonio arjun arthur ashley barbara ben benjamin beth bethany bob
    brandon brenda brian bruce caitlin carl carla carlos carmen carol caroline catherine
    charles charlie charlotte chen chloe chris christina christine christopher claire
    craig dan daniel daniela danielle david deborah dennis diana diego dominic donald
    donna dylan edward elena elizabeth ella ellie emily emma eric erin ethan eva evelyn
    fatima fiona francesca gary george georgia gemma grace graham greg gregory hannah
    harry heather helen henry hugo ian isaac isabel isabella jack jacob james jamie jane
    janet jason jennifer jenny jeremy jessica jim joan joanna joe john jonathan jordan
    jose joseph joshua juan julia julie justin karen kate katherine kathryn katie keith
    kelly kevin kim kyle laura lauren leah leo liam linda lisa lucas lucy luis luke
    maria marie mario martin mary matthew megan melissa michael michelle mike mohammed
    muhammad nancy natalie nathan neil nicholas nicola nicole noah oliver olivia omar
    oscar pamela patricia patrick paul peter philip priya rachel rahul raj rebecca
    richard robert ruth ryan samantha samuel sandra sara sarah scott sean sharon simon
    sofia sophie stephanie stephen steve steven susan thomas tim timothy tom tony tyler
    victoria vincent wei william yusuf zoe
    abbie adele agnes aileen alana alfie alma amara amelie andy angus annabel annette
    annie april archie arlo arnold audrey austin ava barry beatrice bella bernard bernadette
    beryl betty beverley bill billie blake bonnie brad brenda brett bridget brooke bryony
    callum calvin cameron candice cara carly carole carolyn casey cassie cathy cecilia
    cedric celia chantelle charlene charlie chelsea cheryl chester christian ciara cindy
    clara clare clarence claude clive colin connie connor conor corinne courtney curtis
    cynthia daisy dale damian damien dana daniella darren darryl dave dawn dean debbie
    declan deirdre delia denise derek desmond dexter diane dolores dominique doreen doris
    dorothy douglas duncan dwayne eamon eddie edith edna eileen elaine eleanor eli elijah
    elise eliza ellen elliot elliott eloise elsie emil eric erica ernest esme esther ethel
    eugene eve evie ezra faith faye felix fern florence frances francis frank freda
    freddie frederick freya gabriel gabriella gail gareth gavin gemma geoffrey georgina
    gerald geraldine gertrude gillian gina gladys glen glenda glenn gloria gordon greta
    gwen gwendolyn hamish harold harriet harvey hayley hazel hector heidi herbert hilary
    hilda holly howard hugh ida imogen ingrid irene iris isla ivan ivy jackie jacqueline
    jade jake janice jasmine jay jean jeanette jeff jeffrey jemima jerome jesse jill joan
    joanne jodie joel johanna jolene jon jonah josephine josh joy joyce judith judy jules
    june kai karl kathleen kay kayleigh keira ken kenneth kerry kieran kirsty kit kristen
    lana lance larry laurence lee leigh len leon leonard lesley leslie lewis lily lindsay
    lionel lloyd lois lola lorna lorraine louis louise lydia lynn lynne mabel maddie
    madeleine maeve maggie malcolm mandy marcus margaret margot marian marion marjorie mark
    marlene marsha marvin matilda maureen mavis max maxine melanie mervyn mia miles millie
    miranda miriam moira molly monica morgan muriel myra nadia naomi natasha neville nia
    nicky nigel nina noel nora norma norman olive ollie owen paige pat patsy pauline
    pearl penelope penny percy phoebe phyllis piers polly poppy rachael ralph ray raymond
    reece reggie rhys rita robbie robin rod rodney roger roisin ron ronald rory rosa
    rosalind rose rosemary rosie ross rowan roy ruby rupert russell sally sam sammy
    shane shannon sharon sheila shelley sheryl shirley sian sidney sienna sophia stan
    stanley stella stuart sue summer sybil sylvia tamsin tanya tara teresa terry tess
    theo theodore theresa tilly tina toby tommy tracey tracy trevor trudy valerie vanessa
    vera veronica vicky violet vivian wade walter wanda warren wayne wendy wilfred willow
    winifred winston yasmin yvonne zach zachary zara
    aarav abdul adebayo adeel aditya akira alejandro ali amina anil anjali ayesha bilal
    chidi chinedu deepak dmitri emeka farah fatimah hamza hassan hiroshi ibrahim imran
    ivana jamal javier jiang kamal karim kenji khalid kwame lakshmi leila li ling mehmet
    mei mohamed mustafa nikhil nkechi olga oluwaseun pablo pedro pooja rajesh ravi rohan
    sanjay sergei shreya siddharth sunil svetlana tariq tomasz vikram wojciech xavier
    yuki yusra zainab zeynep zhang
    """
)
_COMMON_CAPS = wordset(
    """
    monday tuesday wednesday thursday friday saturday sunday january february march
    april may june july august september october november december team care support
    service services help desk airlines airways air bank group store shop customer
    customers airport station street road the our we you please thanks thank sorry hi
    hello update rail trains express delivery centre center
    """
)


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    message: str


def find(
    text: str,
    *,
    channel: str,
    allowed_handles: Iterable[str] = (),
    case_reference: str | None = None,
) -> list[Violation]:
    """Return PII violations; private messages may carry the case reference, nothing else."""
    spans: list[_Span] = []
    reserved: list[tuple[int, int]] = []

    for m in CASE_REFERENCE.finditer(text):
        reserved.append(m.span())
        if channel == "public":
            spans.append(_Span(*m.span(), "case reference in a public message: keep it in private"))
        elif case_reference is not None and m.group() != case_reference.upper():
            spans.append(_Span(*m.span(), "another case's reference in a private message"))

    if channel == "private" and case_reference is None:
        # Without a known reference, a support case or ticket id the brand quotes in a DM is
        # taken as the case reference (an e-ticket number, all digits, is not).
        for m in _SUPPORT_REF.finditer(text):
            group = "code" if m.group("code") else "code2"
            code = m.group(group)
            # the first form names the case itself; a bare "ref" may belong to a booking
            if group == "code2":
                before = text[max(0, m.start() - 30) : m.start()]
                if not _OUR_CASE_BEFORE.search(before) and _CUSTOMER_ID_BEFORE.search(before):
                    continue
            if not code.isdigit() or len(code) < 10:
                reserved.append(m.span(group))

    for rx in (_EMAIL, _EMAIL_SPELLED):
        for m in rx.finditer(text):
            spans.append(_Span(*m.span(), "email address"))
    email_spans = [(s.start, s.end) for s in spans if s.message == "email address"]

    allowed = {h.lower().lstrip("@") for h in allowed_handles if h}
    handle_spans: list[tuple[int, int]] = []
    for m in _HANDLE.finditer(text):
        if _overlaps(m.span(), email_spans):
            continue
        # A handle is judged as a handle only: "@9202010" is a name, not a phone number.
        handle_spans.append(m.span())
        if m.group(1).lower() not in allowed:
            spans.append(_Span(*m.span(), f"another account's handle (@{m.group(1)})"))

    card_spans = list(_cards(text))
    spans.extend(card_spans)
    taken = reserved + email_spans + handle_spans + [(s.start, s.end) for s in card_spans]
    for start, end in _phones(text):
        if not _overlaps((start, end), taken):
            spans.append(_Span(start, end, "phone number"))
            taken.append((start, end))
    for m in _CARD_MASKED.finditer(text):
        spans.append(_Span(*m.span(), "payment card digits"))
    for m in _CARD_TAIL.finditer(text):
        spans.append(_Span(*m.span(), "payment card or account digits"))

    for span in _codes(text, reserved + email_spans + handle_spans):
        if not _overlaps((span.start, span.end), taken):
            spans.append(span)
            taken.append((span.start, span.end))

    spans.extend(_digit_ids(text, taken + reserved + email_spans + handle_spans, channel))
    spans.extend(_addresses(text))
    caps = _cap_words(text)
    spans.extend(_names(text, caps, _recipient_names(text, caps, allowed)))
    return _merge(spans)


def _overlaps(span: tuple[int, int], others: Sequence[tuple[int, int]]) -> bool:
    return any(span[0] < e and s < span[1] for s, e in others)


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def _cards(text: str) -> Iterable[_Span]:
    for m in _CARD_CANDIDATE.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        # Grouped 4-4-4-4 is a card shape even when a typo breaks the checksum.
        grouped = re.fullmatch(r"\d{4}([ -])\d{4}\1\d{4}\1\d{4}", m.group()) is not None
        if 13 <= len(digits) <= 19 and (_luhn(digits) or grouped):
            yield _Span(*m.span(), "payment card number")


def _phones(text: str) -> Iterable[tuple[int, int]]:
    seen: set[tuple[int, int]] = set()
    # US and GB dialling conventions cover the brands we serve; "+" numbers parse anywhere.
    for region in ("US", "GB"):
        matcher = phonenumbers.PhoneNumberMatcher(
            text, region, leniency=phonenumbers.Leniency.POSSIBLE
        )
        for match in matcher:
            if sum(ch.isdigit() for ch in match.raw_string) < 7:
                continue
            span = (match.start, match.end)
            if span not in seen:
                seen.add(span)
                yield span


def _codes(text: str, reserved: Sequence[tuple[int, int]]) -> Iterable[_Span]:
    for m in _KEYED_ID.finditer(text):
        code = m.group("code")
        span = m.span("code")
        if _overlaps(span, reserved) or not _looks_like_code(code):
            continue
        yield _Span(*span, "booking, order or account identifier")
    for m in _UK_PLATE.finditer(text):
        if not _overlaps(m.span(), reserved):
            yield _Span(*m.span(), "vehicle registration")
    for m in _LONG_CODE.finditer(text):
        if not _overlaps(m.span(), reserved):
            yield _Span(*m.span(), "licence, serial or account identifier")
    for m in _BARE_CODE.finditer(text):
        if _overlaps(m.span(), reserved) or _FLIGHT_LIKE.match(m.group()):
            continue
        if _NOT_CODE_BEFORE.search(text[max(0, m.start() - 12) : m.start()]):
            continue
        yield _Span(*m.span(), "booking or confirmation code")


def _digit_ids(text: str, taken: Sequence[tuple[int, int]], channel: str) -> Iterable[_Span]:
    # Five or more digits, or a prefixed code ("RJ-48820"), whatever word introduces them:
    # public replies quote times, dates, flight numbers and prices, never such numbers. In a
    # DM a prefixed code is our case reference unless the customer's own record introduces it.
    for rx in (_DIGIT_RUN, _PREFIXED_CODE):
        for m in rx.finditer(text):
            if _overlaps(m.span(), taken):
                continue
            if rx is _PREFIXED_CODE and _FLIGHT_LIKE.match(m.group()):
                continue  # "the BA2233 arrival": a flight, public
            if rx is _DIGIT_RUN and text[max(0, m.start() - 4) : m.start()].lower() == "the ":
                continue  # "on the 12952": a named train or service, public
            before = text[max(0, m.start() - 30) : m.start()]
            if (
                channel == "private"
                and rx is _PREFIXED_CODE
                and not _CUSTOMER_ID_BEFORE.search(before)
            ):
                continue
            if _NOT_CODE_BEFORE.search(text[max(0, m.start() - 12) : m.start()]):
                continue
            if _QUANTITY_AFTER.match(text[m.end() : m.end() + 14]):
                continue
            yield _Span(*m.span(), "account, order or reference number")


def _looks_like_code(code: str) -> bool:
    code = code.strip("-")
    digits = sum(ch.isdigit() for ch in code)
    if digits >= 4 or (digits >= 1 and len(code) >= 5 and any(ch.isalpha() for ch in code)):
        return True
    # All-letter PNRs ("ABCDEF") are shouted, so require capitals to tell them from words.
    return code.isalpha() and code.isupper() and 5 <= len(code) <= 8


def _addresses(text: str) -> Iterable[_Span]:
    for m in _ADDRESS.finditer(text):
        name_words = m.group("name").split()
        if any(w.lower().strip(".") in _NOT_STREET_WORD for w in name_words):
            continue
        suffix = m.group("suffix").lower()
        if suffix in _WEAK_SUFFIX and not name_words[0][0].isupper():
            continue
        yield _Span(m.start(), m.end(), "street address")
    for m in _ADDRESS_TOWN.finditer(text):
        words = (m.group("street").split()[0], m.group("town"))
        if not any(w.lower() in _COMMON_CAPS or w.lower() in _NOT_STREET_WORD for w in words):
            yield _Span(m.start("num"), m.end(), "street address")
    for rx in _ADDRESS_PARTS:
        for m in rx.finditer(text):
            yield _Span(*m.span(), "street address")


def fold_name(word: str) -> str:
    """Lower-case ``word`` without accents ("Lucía" -> "lucia"): how names are compared."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


@cache
def given_names() -> frozenset[str]:
    """Folded given names from many countries (built offline by tools/build_given_names.py)."""
    text = resources.files(__package__).joinpath("given_names.txt").read_text("utf-8")
    return frozenset(text.split()) | FIRST_NAMES


@dataclass(frozen=True)
class _CapWord:
    """A capitalised word, folded, and whether it stands where the greeting names someone."""

    start: int
    end: int
    name: str
    in_greeting: bool


def _cap_words(text: str) -> list[_CapWord]:
    # read once per message: the recipient's names and the lone-name check both walk them
    return [
        _CapWord(m.start(), m.end(), fold_name(m.group()), _in_greeting(text, m.start(), m.end()))
        for m in _CAP_WORD.finditer(text)
    ]


def _recipient_names(text: str, caps: Sequence[_CapWord], handles: Iterable[str]) -> frozenset[str]:
    """Name words of the person addressed: handle parts, the greeting and "..., Dan." """
    names: set[str] = set()
    for h in handles:
        spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", h)  # "JaneDoe" -> "Jane Doe"
        names.update(t for t in re.split(r"[^a-z]+", fold_name(spaced)) if len(t) >= 2)
    for w in caps:
        vocative = text[: w.start].rstrip().endswith(",") and re.match(
            r"\s*(?:[.!?,]|$)", text[w.end :]
        )
        if vocative or w.in_greeting:
            names.add(w.name)
    return frozenset(names)


def _names(text: str, caps: Sequence[_CapWord], recipient: frozenset[str]) -> Iterable[_Span]:
    for m in _TITLE_NAME.finditer(text):
        # "Mohon maaf, Kak Dimas" greets @dimas_pr: the recipient with an honorific
        names = {fold_name(w.strip(".")) for w in m.group().split()[1:]}
        if not _in_greeting(text, m.start(), m.end()) and not names & recipient:
            yield _Span(*m.span(), "a person's name")
    for m in _ROLE_NAME.finditer(text):
        name = m.group("name")
        words = name.split()
        if words[0].lower() in _COMMON_CAPS or not all(w[0].isupper() for w in words):
            continue
        # "our Buyer Protection process": a role word capitalised mid-sentence names a product
        if m.group()[0].isupper() and not re.search(r"(?:^|[.!?:]\s*)$", text[: m.start()]):
            continue
        yield _Span(*m.span(), "another customer's name")
    for m in _POSSESSIVE_PERSON.finditer(text):
        if m.group("name").lower() not in _COMMON_CAPS:
            yield _Span(*m.span(), "another person's name")
    for m in _NAMED.finditer(text):
        if m.group("name").lower() not in _COMMON_CAPS:
            yield _Span(*m.span(), "a person's name")
    known = given_names()
    for m in _BESIDE_YOU.finditer(text):
        # a pet is named too ("you and Biscuit"): a known given name or a possessive only
        name = m.group("name")
        key = fold_name(name.removesuffix("'s"))
        if key in recipient or key in _COMMON_CAPS or key in _NOT_SURNAME:
            continue
        if key in known or name.endswith("'s"):
            yield _Span(*m.span("name"), "another person's name")
    for m in _FAMILY.finditer(text):
        name = fold_name(m.group("name"))
        if name not in _COMMON_CAPS and name not in recipient:
            yield _Span(*m.span(), "another household's name")
    for m in _CAP_PAIR.finditer(text):
        first = fold_name(m.group("first"))
        if first not in known or _in_greeting(text, m.start(), m.end()):
            continue
        if m.group("last") is not None and fold_name(m.group("last")) in _NOT_SURNAME:
            continue
        if _PLACE_AFTER.match(text, m.end()):
            continue  # "our Anna Nagar store": a branch named after its area
        # addressed at the end of a sentence ("... the engineer's visit, Li Wei."): the recipient
        if re.search(r",\s*$", text[: m.start()]) and re.match(r"\s*(?:[.!?]|$)", text[m.end() :]):
            continue
        last = m.group("last")
        if last is not None and re.split(r"['’]", last.lower())[0] in _COMMON_CAPS:
            continue
        if m.group("poss") and _POSSESSIVE_PLACE.match(text, m.end()):
            continue  # "the dock at Arthur's Quay": a place named after someone
        yield _Span(*m.span(), "another customer's name")
    for m in _INITIAL_SURNAME.finditer(text):
        if fold_name(m.group("name").split(".")[-1].strip()) not in _COMMON_CAPS:
            yield _Span(*m.span("name"), "another person's name")
    for m in _APPOSITION.finditer(text):
        name = fold_name(m.group("name"))
        if name in recipient or name in _COMMON_CAPS or _in_greeting(text, m.start(), m.end()):
            continue
        sentence_start = re.search(r"(?:^|[.!?]\s+|@\w+\s+)$", text[: m.start()]) is not None
        if name in known or not sentence_start:
            yield _Span(*m.span("name"), "another person's name")
    yield from _lone_names(text, caps, recipient, known)


def _lone_names(
    text: str, caps: Sequence[_CapWord], recipient: frozenset[str], known: frozenset[str]
) -> Iterable[_Span]:
    # A given name on its own is a person only where the sentence treats it as one: "left
    # with Karen", "Kagiso signed for it". Our own staff ("I'm Sam", "^Sam") may be named.
    for w in caps:
        name = w.name
        if name not in known or name in recipient or name in _AMBIGUOUS_NAMES:
            continue
        if name in _COMMON_CAPS or w.in_greeting:
            continue
        before = text[max(0, w.start - 40) : w.start]
        if _STAFF_BEFORE.search(before):
            continue
        if _PERSON_BEFORE.search(before) or _PERSON_AFTER.match(text[w.end : w.end + 30]):
            yield _Span(w.start, w.end, "another person's name")


def _in_greeting(text: str, start: int, end: int) -> bool:
    # A name where the greeting goes ("Hi Ms Chen", "@x Sarah Lee, ...") is the recipient's own.
    if _GREETING_BEFORE.search(text[:start]):
        return True
    return _TEXT_START.match(text[:start]) is not None and text[end : end + 1] == ","


def _merge(spans: list[_Span]) -> list[Violation]:
    out: list[Violation] = []
    for s in sorted(spans, key=lambda s: (s.start, -s.end)):
        if out and s.start < out[-1].end:
            continue
        out.append(Violation("pii", s.start, s.end, s.message))
    return out
