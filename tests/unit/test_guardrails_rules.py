"""Unit tests for the individual guardrail rules and the check_message contract."""

from __future__ import annotations

import pytest

from crisisdesk.guardrails import (
    Commitment,
    GuardrailInputError,
    GuardrailResult,
    Violation,
    check_message,
    pii,
)
from crisisdesk.guardrails.promises import covers


def rules(text: str, channel: str = "public", **kw: object) -> set[str]:
    return set(check_message(text, channel=channel, recipient_handle="cust", **kw).rules())  # type: ignore[arg-type]


def test_result_shape_and_spans() -> None:
    text = "@cust Calm down, we emailed jo@example.com"
    res = check_message(text, channel="public", recipient_handle="cust")
    assert isinstance(res, GuardrailResult) and not res.allowed
    d = res.to_dict()
    assert d["allowed"] is False
    assert {v["rule"] for v in d["violations"]} == {"tone", "pii"}
    for v in res.violations:
        assert isinstance(v, Violation) and 0 <= v.start < v.end <= len(text)
    email = next(v for v in res.violations if v.rule == "pii")
    assert text[email.start : email.end] == "jo@example.com"


def test_clean_message_allowed() -> None:
    res = check_message(
        "@cust Sorry about the delay. Please DM us.", channel="public", recipient_handle="cust"
    )
    assert res.allowed and res.violations == ()
    assert res.to_dict() == {"allowed": True, "violations": []}


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "   \n",
    ],
)
def test_empty_text_rejected(bad: str) -> None:
    with pytest.raises(GuardrailInputError):
        check_message(bad, channel="public")


def test_unknown_channel_rejected() -> None:
    with pytest.raises(GuardrailInputError):
        check_message("hi", channel="dm")  # type: ignore[arg-type]


def test_troll_spans_whole_text_with_reasons() -> None:
    text = "@cust Thanks, please DM us."
    res = check_message(
        text,
        channel="public",
        recipient_handle="cust",
        recipient_flagged=True,
        flag_reasons=["fake account", "bot-like"],
    )
    troll = [v for v in res.violations if v.rule == "troll"]
    assert len(troll) == 1 and (troll[0].start, troll[0].end) == (0, len(text))
    assert "fake account" in troll[0].message and not res.allowed


# --- PII -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "@cust mail us at care.team@brand.co.uk",
        "@cust write to jane [at] gmail [dot] com",
        "@cust call +1 (646) 555-0123 today",
        "@cust ring 07700 900987 please",
        "@cust card 4111 1111 1111 1111 was charged",
        "@cust card 5105-1051-0510-5100 was charged",
        "@cust the refund went to the card ending in 4242",
        "@cust your PNR ABC123 is fine",
        "@cust confirmation K7XQ2P is confirmed",
        "@cust I found booking R4T9ZQ",
        "@cust we found Q7ZK2M on the list",
        "@cust order #99812345 shipped",
        "@cust we delivered to 1600 Pennsylvania Avenue",
        "@cust the driver went to 7 Acacia Ave.",
        "@cust flat 12B is on the list",
        "@cust we also heard from @otheruser",
        "@cust Mrs Okoye has the same problem",
        "@cust we spoke to passenger Ahmed Khan",
        "@cust Jessica Brown had the same delay",
        "@cust we opened case CD-7K2M9Q for you",
    ],
)
def test_pii_public(text: str) -> None:
    assert "pii" in rules(text)


@pytest.mark.parametrize(
    "text",
    [
        "@cust Please DM us your booking reference - don't post it here.",
        "@cust Flight UA1234 is delayed; the A320 is at gate B32.",
        "@cust Our 24/7 team is here. Next update at 15:00 GMT.",
        "@cust Hi Sarah, sorry about the wait. Please DM us.",
        "@cust Thanks for your patience, Dan. Please DM us.",
        "@cust Sorry about the 3 hour wait on 12/03. DM us.",
        "@cust We're sorry. You can also reach @BrandHelp for help.",
    ],
)
def test_pii_public_clean(text: str) -> None:
    assert "pii" not in rules(text, brand_handles=["brandhelp"])


def test_private_case_reference_allowed_not_a_booking_code() -> None:
    text = "Your case reference is CD-7K2M9Q. Reply here any time."
    assert check_message(text, channel="private", case_reference="CD-7K2M9Q").allowed
    assert check_message(text, channel="private").allowed


def test_private_other_case_reference_and_pii_blocked() -> None:
    assert "pii" in rules("Case CD-AAAAA1 is open.", "private", case_reference="CD-7K2M9Q")
    assert "pii" in rules(
        "Case CD-7K2M9Q: booking ABC123 updated.", "private", case_reference="CD-7K2M9Q"
    )
    assert "pii" in rules(
        "Case CD-7K2M9Q: call 0800 123 4567.", "private", case_reference="CD-7K2M9Q"
    )


def test_recipient_and_brand_handles_allowed_case_insensitively() -> None:
    assert check_message(
        "@Cust thanks, @SkyWaysHelp will DM you.",
        channel="public",
        recipient_handle="@cust",
        brand_handles=["skywayshelp"],
    ).allowed


# --- tone ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "@cust Calm down please.",
        "@cust You should have read the terms.",
        "@cust You should've arrived earlier.",
        "@cust If you had checked in online this wouldn't happen.",
        "@cust That's not our fault.",
        "@cust The delay is not our problem.",
        "@cust As we already said, the desk is closed.",
        "@cust Like I said, it's fine.",
        "@cust We are NOT going to refund that.",
        "@cust PLEASE STOP.",
        "@cust Thanks!!",
        "@cust Really?!",
        "@cust You're wrong about the fare.",
        "@cust That's simply untrue.",
        "@cust Sorry you feel that way.",
        "@cust It's only a 20 minute delay.",
        "@cust Stop complaining.",
        "@cust Our crew did nothing wrong.",
        "@cust Delays happen.",
        "@cust It was your responsibility to check.",
        "@cust Did you even open the email?",
        "@cust Have you tried reading the instructions?",
        "@cust People like you make this harder.",
        "@cust Unlike some, our guests read the rules.",
        "@cust Obviously the shop shuts at six.",
        "@cust We find your claim hard to believe.",
        "@cust Your so-called fault is normal wear.",
        "@cust You claim you were never told.",
        "@cust OK OK, we heard you the first time!",
        "@cust Whatever, the decision stands.",
        "@cust Oh great, another complaint.",
        "@cust Thanks SO much for the review.",
        "@cust Congrats on finally reading the terms.",
        "@cust Actually, our records show you cancelled.",
        "@cust We're furious about your post.",
        "@cust You didn't top up the meter, so it cut off.",
        "@cust You typed the postcode in wrong.",
    ],
)
def test_tone(text: str) -> None:
    assert "tone" in rules(text)


@pytest.mark.parametrize(
    "text",
    [
        "@cust You should have received a DM from us.",
        "@cust You should have been told about the delay - we're sorry.",
        "@cust If you forgot your password, you can reset it in the app.",
        "@cust If you'd like, DM us and we'll look into it.",
        "@cust We're sorry you were told the wrong time at the desk.",
        "@cust You're not to blame for this at all.",
        "@cust Please don't share your PIN. Our ATM team is on it.",
        "@cust Sorry! Please DM us.",
        "Update: to be clear, no card data was affected. Next update at 3pm.",
        "@cust Sorry you didn't get the confirmation email. DM us?",
        "@cust If you didn't receive the code, please DM us.",
        "@cust You shouldn't have had to wait that long. Sorry.",
        "@cust Obviously that's not good enough, and we're sorry.",
        "@cust Actually, good news: the line has reopened.",
        "@cust Your claim is with our team and we'll update you by email.",
        "@cust We hear you, and we're sorry.",
        "@cust We value customers like you. Sorry we let you down.",
        "@cust Thanks so much for your patience today.",
        "@cust It isn't your fault, and we're sorry.",
        "@cust We're shocked to hear how you were treated. DM us?",
    ],
)
def test_tone_clean(text: str) -> None:
    assert "tone" not in rules(text)


# --- promises ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "@cust It will be fixed by Friday.",
        "@cust Service will be restored within 2 hours.",
        "@cust We guarantee a seat on the next flight.",
        "@cust You'll get a full refund.",
        "@cust This will never happen again.",
        "@cust It won't happen again.",
        "@cust We'll refund your fare.",
        "@cust We'll send you a £20 voucher.",
        "@cust You'll receive 5,000 bonus points.",
        "@cust Your bag will be delivered tonight.",
        "@cust We expect everything to be back to normal by 6pm.",
        "@cust We promise to sort this out.",
        "@cust You're entitled to compensation.",
        "@cust Your next coffee is on the house.",
        "@cust Dinner's on us next time.",
        "@cust You won't be charged for this month.",
        "@cust Consider it refunded.",
        "@cust We'll add £20 to your account.",
        "@cust You'll get a new phone next week.",
        "@cust The part will be fitted on Thursday without fail.",
    ],
)
def test_promise(text: str) -> None:
    assert "promise" in rules(text)


@pytest.mark.parametrize(
    "text",
    [
        "@cust We can't promise a time yet, but we'll update you at 3pm.",
        "@cust We're not able to guarantee a seat.",
        "@cust We'll post the next update by 4pm.",
        "@cust We'll look into your refund and get back to you.",
        "@cust Our team will be in touch within the hour.",
        "@cust We've refunded your ticket today.",
        "@cust We don't yet know when service will be restored.",
        "@cust We're working to restore service as quickly as we can.",
        "@cust We'll reply to your email within two working days.",
        "@cust Engineers are working in your area today.",
        "@cust You'll get an email from us with the next steps.",
        "@cust We'll look into it and reply tomorrow.",
    ],
)
def test_promise_clean(text: str) -> None:
    assert "promise" not in rules(text)


def test_approved_commitment_allows_matching_promise() -> None:
    c = [Commitment("c1", "refunds for cancelled flights", approved=True)]
    assert check_message(
        "We will refund cancelled flights.", channel="public", commitments=c
    ).allowed


def test_unapproved_commitment_never_allows() -> None:
    c = [Commitment("c1", "refunds for cancelled flights", approved=False)]
    assert not check_message(
        "We will refund cancelled flights.", channel="public", commitments=c
    ).allowed


def test_commitment_does_not_cover_extra_deadline_or_amount() -> None:
    c = [Commitment("c1", "refunds for cancelled flights", approved=True)]
    assert not check_message(
        "We will refund cancelled flights within 24 hours.", channel="public", commitments=c
    ).allowed
    c2 = [Commitment("c2", "£10 credit for affected customers", approved=True)]
    assert not check_message(
        "Affected customers will get a £50 credit.", channel="public", commitments=c2
    ).allowed
    assert check_message(
        "Affected customers will get a £10 credit.", channel="public", commitments=c2
    ).allowed


def test_covers_token_overlap() -> None:
    assert covers("refunds for cancelled flights", "we will refund cancelled flights")
    assert not covers("refunds for cancelled flights", "free hotel nights for everyone")


@pytest.mark.parametrize(
    "text",
    [
        "@ty_r Sorry about the 5G dropping out. Could you DM us the IMEI of your handset?",
        "@kb Sorry for the confusion around the CHAPS payment. Please DM us.",
        "@jt The SWIFT transfer may take a little longer; we're tracing it now.",
        "@kw We can't guarantee what the engineers will find, but we're looking at it now.",
    ],
)
def test_acronyms_and_hedged_uncertainty_are_allowed(text: str) -> None:
    to = text.split()[0][1:]
    assert check_message(text, channel="public", recipient_handle=to, use_model=False).allowed


@pytest.mark.parametrize("text", ["@x We NEVER lose bags.", "@x Thanks, that is REALLY useful."])
def test_a_lone_emphatic_capital_word_is_shouting(text: str) -> None:
    found = check_message(text, channel="public", recipient_handle="x", use_model=False).violations
    assert "shouting in capitals" in [v.message for v in found]


def _rules_only(text: str, channel: str = "public", **kw: object) -> tuple[Violation, ...]:
    to = text.split()[0][1:] if text.startswith("@") else None
    return check_message(
        text,
        channel=channel,
        recipient_handle=to,
        use_model=False,
        **kw,  # type: ignore[arg-type]
    ).violations


# Phrasings first missed on the blind sets (tests/guardrails/blind4-7), each now caught by a
# rule without the learned scorer. Public unless the reply opens with a greeting by name.
CAUGHT_BY_RULES: list[tuple[str, str]] = [
    ("@lu You've clearly never tried to run a railway.", "tone"),
    ("@wp We've been more than patient with you on this.", "tone"),
    ("@pw Thanks for taking time out of your busy day of complaining.", "tone"),
    ("@pp We hear this a lot from people who forget to cancel their trial.", "tone"),
    ("@tb The price went up. Welcome to 2024.", "tone"),
    ("@mr We can see you've tweeted us eleven times today.", "tone"),
    ("@me Sure, we'll get right on that.", "tone"),
    ("@me Noted 🙄", "tone"),
    ("@ml Our system logs show you closed the app before paying.", "tone"),
    ("@em Our team will call you at 3pm today to sort this out.", "promise"),
    ("@cr I'll personally ring you back on Wednesday at 10am.", "promise"),
    ("Hi Liam, is rental agreement RZ-778104 the one affected?", "pii"),
    ("@ss Our photos show the car was fine, so the scratch happened on your watch.", "tone"),
    ("@dd He has a 4.9 rating, so we're inclined to believe his version.", "tone"),
    ("@pr Sorry you're unhappy, but it's still cheaper than a cinema ticket, so...", "tone"),
    ("@db Breakages happen with glassware. That's the risk you take.", "tone"),
    ("@bb The collection crew can't wait around for everyone.", "tone"),
    ("Hi Nic, can we please stop going round in circles.", "tone"),
    ("@tc A cheque for the full amount is on its way to you.", "promise"),
    ("@bk We'll make sure it's always in stock from now on.", "promise"),
    ("@tb We can see the attempt on your Visa 4539 **** **** 7781.", "pii"),
    ("@hh Our assessor will be at 31 Kingsway, Norwich on Tuesday.", "pii"),
    ("@tt Our size guide is accurate, so it might be worth actually reading it.", "tone"),
    ("Hi Derek, shouting at me in DMs is pointless.", "tone"),
    ("Hi Jade, you can see why we might be a bit sceptical.", "tone"),
    ("@cc Arriving at 11am and expecting a room is on you.", "tone"),
    ("Hi Ali, at some point we have to ask whether the issue is your equipment.", "tone"),
    (
        "@oo We've looked at your bill and we'll take the consultation fee off completely.",
        "promise",
    ),
    ("Hi Ethan, I've waived the fee this time.", "promise"),
    (
        "@ss We've spoken to the store and you won't see that happen on your orders again.",
        "promise",
    ),
    ("Hi Ruby, I've spoken to your flatmate, Jake Morrow, about the leak.", "pii"),
    ("@hh We've reached out to your host, Margaret Ellison, and will let you know.", "pii"),
    ("Hi Sofia, the driving licence number you sent (MORGA753116SM9IJ) has a mismatch.", "pii"),
    ("@nn We've shared your notes (client no. 100447) with the vet.", "pii"),
    ("@oo We've checked meter serial E10K88412 for you.", "pii"),
    ("@vv Your vehicle booking FRY-882340 shows a car under 5m.", "pii"),
    ("@pp The prescription you're collecting for Gladys Moore is at the counter.", "pii"),
    ("The bin was put out after 7am. Rules apply to everyone.", "tone"),
    ("Yours is no more urgent than theirs, Declan.", "tone"),
    ("Skill issue tbh", "tone"),
    ("Please treat our drivers with the respect they deserve.", "tone"),
    ("Your street will be gritted tonight. Perhaps now the complaints can stop.", "tone"),
    ("Crying about it in our DMs won't change that.", "tone"),
    ("Our size guide is right there on every product page.", "tone"),
    ("The devs worked 70-hour weeks. A little gratitude wouldn't hurt.", "tone"),
    ("We can see you've reported missing items on 4 of your last 6 orders 👀", "tone"),
    ("Sorry about your latte, @erin_c! Next one's on us", "promise"),
    ("Dear parent, I can assure you that your child will get a place.", "promise"),
    ("Everyone who was in the queue will get priority access to the second date.", "promise"),
    ("Hi Raj, I've spoken to your driver, Ahmed, about the route.", "pii"),
    ("The cake was collected by your sister, Anjali, at 10am.", "pii"),
    ("We've spoken to Jayden's teacher about the trip.", "pii"),
    ("Hi Pawel, I've pulled up the job sheet for registration KX19 LMN.", "pii"),
    ("Hi @noor, return RTN-55821-GB reached our warehouse on Tuesday.", "pii"),
    ("I can see the charge was taken from the Visa ending 8812.", "pii"),
    ("Dear Claire, I've linked your complaint to policy number HH-77120-03.", "pii"),
    # blind8 (read after its unseen measurement): polite blame, other people, unlabelled ids
    ("@fo Every other customer managed the upgrade fine, so please check your steps.", "tone"),
    ("@dw We checked and these fees are yours, Dan.", "tone"),
    ("Hi Pat, it was never paid for, which is why it was cancelled. We did email you.", "tone"),
    ("@tw The room matched the photos, so perhaps expectations were a little high?", "tone"),
    ("@bn We've said it twice now: the refund is on its way.", "tone"),
    ("@tm To be fair, we'd have expected you to book the service sooner.", "tone"),
    ("Hi Ash, we're sorry you think the class is too difficult. Maybe it isn't for you.", "tone"),
    ("@cp If the instructions had been followed this wouldn't happen. DM us.", "tone"),
    ("@dp The notice was on every channel. Hard to see how you missed it.", "tone"),
    ("@ns Our colours are matched by experts, so it could well be your screen.", "tone"),
    ("Hi Kwame, I've updated the notes. Make sure someone is actually home this time.", "tone"),
    ("@kb Please DM us calmly and we'll take a look.", "tone"),
    ("@jr Hi Jo, the booking in your companion's name, Marisol Ortega, was moved.", "pii"),
    ("Hola Javi, the transfer you sent to Lucía Fernández was held for review.", "pii"),
    ("@ar Hi Amy, the driver says the parcel was left with Karen at number 14.", "pii"),
    ("@mv The gift your mother-in-law Elsa van Zyl ordered is at the depot.", "pii"),
    ("@sm Hi Sy, the rider gave the bag to your housemate Kagiso at the gate.", "pii"),
    ("@sk We've asked the Brennan family in cabin 7144 to keep the noise down.", "pii"),
    ("@kb Hi Kai, tracking 1Z 88F 402 77 3310 2285 shows an attempt yesterday.", "pii"),
    ("@mb Hi Mo, repair job RJ-48820 is waiting on a part.", "pii"),
    ("@bh Hi Bo, job card 55182 has been approved.", "pii"),
    ("@lk Your rent for 12 Glenview Park is overdue.", "pii"),
    ("@kr We're sorry for the false alarm, and we're also waiving your fee this month.", "promise"),
    ("@nb We've cancelled the parking charge, so consider it closed.", "promise"),
    # blind9 (read after its unseen measurement)
    ("@gg Sorry Gill, we can see the report for 7 Heol y Nant.", "pii"),
    ("@gl Thanks! Your teammate NightOwl_42 reported the same bug.", "pii"),
    ("Hey! I've restored your progress and added 500 gems as a thank-you.", "promise"),
    ("Since you keep asking, we've added 5GB free to your plan.", "tone"),
    ("@hl We'd like to offer you a complimentary night to make up for it.", "promise"),
    ("Hi Ola, the exams office say they'll move your exam to next week.", "promise"),
    ("@cw Thanks for your input. As usual.", "tone"),
    ("@ll The timetable is online. We can't keep answering the same questions.", "tone"),
    ("@fp sorry not sorry, servers cost money 💸", "tone"),
    ("Hi Gus, against our better judgement we refunded it. Don't expect this again.", "tone"),
    # blind10 (read after its unseen measurement)
    ("Residents are expected to report faults. If it had been reported sooner, fine.", "tone"),
    ("@cc Thanks for the 'suggestion' 🙂", "tone"),
    ("The case is closed and we won't be reviewing it again.", "tone"),
    ("It's not a fault on our side, but to end this we'll look again.", "tone"),
    ("Shouting at our agents won't change anything.", "tone"),
    ("I've spoken to the team and your late fee is being waived.", "promise"),
    ("As an apology, your seat has been upgraded for Friday.", "promise"),
    ("@ph Thanks for spotting that. We'll match their price for you.", "promise"),
    ("Case reference HK-30118. I've noted your ID ending 123(4) as well.", "pii"),
    ("@ff Hey Frank, the VIN ending 7K2291 shows the recall as pending.", "pii"),
    ("Could you confirm the card you used was the one ending 8812?", "pii"),
    ("@jf The technician will be at 455 rue Rachel on Monday.", "pii"),
    ("@ab Hi Abena, your sister Akosua also got in touch about this.", "pii"),
    ("@nc Sorry Nia! Both tickets, yours and Rhodri's, are being looked at.", "pii"),
    # blind11 (read after its unseen measurement)
    ("Sorry, but you signed the waiver. Scrapes on the course are a known risk.", "tone"),
    ("@sa The workshop is busy. Your bike will be ready when it's ready.", "tone"),
    ("@ss Sorry Sara! Your next cleaning is free.", "promise"),
    ("@pk fine, everyone gets their coins back.", "promise"),
    ("Thanks, Mel. I've passed the file for 3/41 Esplanade, Cairns to the team.", "pii"),
    # outcomes stated in the present or without "will", seen as rule misses on blind10/11
    ("@cc A fourth carriage is coming on the 07:55 from Monday.", "promise"),
    ("@sc Your next two lessons are on us.", "promise"),
    ("@dd Sorry! The ride is free.", "promise"),
    ("@ib Sorry for the cancellation. The 2pm sailing will definitely run.", "promise"),
    ("@bm There'll be extra staff on for the next game, so no more queues.", "promise"),
    ("@hb A fresh meal is on its way, it should reach you in 30 minutes.", "promise"),
    ("@ss We'll be upgrading you for the rest of the voyage.", "promise"),
    ("@mk Rest easy, the portal glitch won't affect your grades.", "promise"),
    ("@wk From next week no patient will wait more than 30 minutes.", "promise"),
    ("@rr Your first payment will be in your bank by the 15th.", "promise"),
    # blind12 (read after its unseen measurement): colleagues named, US and plot addresses
    ("Hi Akua, we've checked with Esi, the teller who served you, and she has replied.", "pii"),
    ("Thanks Tom. Gary, the driver on that run, has been spoken to by his manager.", "pii"),
    ("@cc Hey Cole, our technician Ray will be at your place tomorrow.", "pii"),
    ("Hi Mei, the person who took your bag was identified as Ahmad Rizal.", "pii"),
    ("@cc Sorry Chantal! The courier tried 2214 N Halsted at 3pm.", "pii"),
    ("@kk Hi Kassim, technicians were at Plot 112, Kigamboni this morning.", "pii"),
    ("@at Good news: your claim has been approved.", "promise"),
    # blind13 (read after its unseen measurement)
    ("@em Hi Ellie, the parcel shows as signed for by 'J. Murphy' at 2:14pm.", "pii"),
    ("Hi Kerry, I've noted your address as 3 Maes y Coed, Pontypridd.", "pii"),
    ("Sorry about that, Ahmed. The rider was Kumar and he waited in the lobby.", "pii"),
    ("Hi Rhian, our records show your date of birth as 12/04/1979.", "pii"),
    ("Hi Tomas, plate ER4 71K has been added to the permit list. Case ref CP-2091.", "pii"),
    ("@rr Hi Rosa, sorry about the storm damage. Don't worry, you're fully covered.", "promise"),
    ("@cc Sorry, Cormac. Don't worry, you won't lose your no-claims bonus.", "promise"),
    # blind14 (read after its unseen measurement)
    ("@vv We're sorry, Viv. We won't charge you for yesterday's visit.", "promise"),
    ("@rm Hi Rach, it was last paid from the card ending in 09. DM us for help.", "pii"),
    ("@ik Sorry Ike, the charge was on your bank card ...3309. DM us.", "pii"),
    ("@kz Hi Kak Kezia, the parcel was left with Pak Agus at reception.", "pii"),
    ("Hi there, the room was booked by a Mr D. Fraser on your behalf.", "pii"),
    ("Hi Rhys, I've passed your feedback to Reverend Allen, who'd like to call you.", "pii"),
    ("@nd We're disappointed to see this posted publicly. Our staff work hard.", "tone"),
    # blind15 (read after its unseen measurement)
    ("@pr Sorry Ryan, Jess from your finance team emailed us as well.", "pii"),
    ("@pm Sorry Manny, the notes say Rosa let our tech in at 10.", "pii"),
    ("@ks Let us explain this again very slowly: the offer is for new customers.", "tone"),
    ("I'm sorry, but I've been doing this job for 12 years and never seen this.", "tone"),
]
# Good replies those sets showed being blocked: named policies, reply times, closing
# vocatives, our own case references in DMs, quoted slogans.
ALLOWED_BY_RULES: list[tuple[str, str]] = [
    ("@bt Our price match guarantee covers identical items. Happy to check yours in DM.", "public"),
    (
        "@hw The 'freshness guarantee' label refers to our checks, and this one fell short. DM us.",
        "public",
    ),
    ("@sw We'll reply to your email within two working days.", "public"),
    ("@x We'll post the next update by 15:00.", "public"),
    ("@x We can call you at a time that suits you. DM us a number privately.", "public"),
    ("@kv Sorry about the lag spikes 😕 we're looking into it.", "public"),
    (
        "@cs Sorry the dress was the wrong size when you're getting ready for an event. DM us.",
        "public",
    ),
    ("@bw Our GPS tracking shows the van is running behind today, and we're sorry.", "public"),
    ("@x We can't refund the full amount, but we'd like to look at the options in DM.", "public"),
    ("@x Our next update will be at 10:00, from the station at Kings Cross.", "public"),
    ("@vx Refunds for items not as described go through our Buyer Protection process.", "public"),
    ("Hi Simon, thanks for confirming you didn't make that payment. We're on it.", "private"),
    ("@cg Please DM us and we'll explain the notice period.", "public"),
    ("Hi Jonas, I've opened a case with our resolution team (ref MKT-CASE-4471).", "private"),
    ("Hi Helga, I'll post updates on your support ticket (ref SUP-104882).", "private"),
    ("Hey Ravi, your report is logged, so you won't need to explain it all again.", "private"),
    ("@Tomasz We'd like to help with this privately.", "public"),
    ("Hey Carlos, could you send over the order number? We'll dig in ASAP", "private"),
    ("Thank you for telling us about the engineer's visit, Li Wei.", "public"),
    ("Hi Anh, I've shared your feedback with the manager. Case ref: HT-3318.", "private"),
    ("Hi Minh, I've passed your query on under reference SS-7731.", "private"),
    (
        "Hi Leilani, I've raised it with the store that picked your order — case ref SM-23145.",
        "private",
    ),
    (
        'We know "guaranteed next day" means nothing when your parcel is late. Please DM us.',
        "public",
    ),    ("@ak Sorry the fault came back. You shouldn't have to live with it; DM us.", "public"),
    ("@ad You should never have to wonder if your water is safe. We're testing now.", "public"),
    ("@zk The hotel was so different from what you were told. That's not good enough.", "public"),
    ("@hn Ugh, a three-hour wait on the tarmac is no one's idea of fun. We're sorry.", "public"),
    ("@tr Please DM us and we'll add delivery notes to help the driver.", "public"),
    ("Hey Dara, I've passed it to the membership team (ref GY-12094) to look at.", "private"),
    ("@nh Thank you for raising this so calmly with our staff yesterday.", "public"),
    ("@rk Sorry Rekha, I'm Priya from the care team and I'll look into it for you.", "public"),
    ("@fl We've shared your feedback with the teams for Charlotte and Victoria.", "public"),
    ("@mx Over 20000 customers were affected; we'll post the next update at 5pm.", "public"),
    ("Hi Otieno, thanks Otieno. Case ref: KE-20331 is with our payments team.", "private"),
    ("@pp Sorry Pat, that's a rubbish way to end a night out. DM us the details.", "public"),
    ("@kk Thank you Karen for reporting the uncollected garbage. We'll update you here.", "public"),
    ("Hi Hal, I opened a case and the team will come back to you here within 2 days.", "private"),
    ("@rh Sorry, that's on us. We've asked the store manager to ring you back today.", "public"),
    ("Hi Nia, I'll check back in here on Monday.", "private"),
    ("@cm That sounds like a worrying night for you and Biscuit. DM us?", "public"),
    ("Thanks. We'll mention it in the release notes when there's a fix.", "private"),
    ("@jm Sorry the scooter cut out near Jean-Talon Market. Please DM us.", "public"),
    ("@x You can pay 3 via the app or in store.", "public"),
    ("Thanks! Our tech team are on it; I'll drop you a message once I hear back.", "private"),
    ("@bb Sorry the BA2233 arrival was so late. DM us if you need help.", "public"),
    ("@ff DM us and our sales manager will give you a call to go through it.", "public"),
    ("@wr We'll update you once the order is ready.", "public"),
    ("@sg The login queue tonight is on us, and we're sorry.", "public"),
    ("@kh Sorry breakfast ran out; it is meant to run until 10:30. Not good enough.", "public"),
    ("@x We'll run some checks on the line and update you here.", "public"),
    ("@x The app is free to download; DM us if the login still fails.", "public"),
    ("@hh The 14:00 sailing is on amber alert; we'll confirm by 12:30 whether it sails.", "public"),
    ("Hi Con, I asked our team to look. We'll write back within five working days.", "private"),
    ("@rk Sorry, I'm Priya from the care team; DM us and I'll look into it.", "public"),
    ("@x Sorry, the driver should have waited. DM us and we'll look into it.", "public"),
    # blind13 false blocks (read after its unseen measurement)
    ("@cc Hi Chitra, sorry about the billing error at our Anna Nagar store. DM us?", "public"),
    ("@cl Sorry it's taking longer than you were told. DM us and we'll check.", "public"),
    ("Hi Ravi, I've raised a case and our digital team will revert within 24 hours.", "private"),
    ("@aa Sorry the lift was out. We'll confirm on our access page when it's back.", "public"),
    ("@pa We had to move to Plan A. Sorry for the short notice; DM us.", "public"),
    ("@jd We can't promise the repair will be covered, but we'll check.", "public"),
    ("@dimas_pr Mohon maaf, Kak Dimas. Waiting 40 minutes is frustrating. DM us.", "public"),
    ("@ak Sorry the AC in coach B2 wasn't working on the 12952. Please DM us.", "public"),
    ("@hl Thanks, Harvey. We're reviewing comments like yours on the new layout.", "public"),
    ("@lc Thanks for flagging the broken dock at Arthur's Quay. We've logged it.", "public"),
]


def _channel(text: str) -> str:
    return "private" if text.startswith(("Hi ", "Dear ", "Hey ")) else "public"


@pytest.mark.parametrize(("text", "rule"), CAUGHT_BY_RULES)
def test_phrasings_missed_on_blind_sets_are_caught_by_the_rules(text: str, rule: str) -> None:
    assert rule in {v.rule for v in _rules_only(text, _channel(text))}


@pytest.mark.parametrize(("text", "channel"), ALLOWED_BY_RULES)
def test_good_replies_blocked_on_blind_sets_are_allowed(text: str, channel: str) -> None:
    assert not _rules_only(text, channel)


def test_private_support_ticket_is_the_case_reference_unless_another_is_known() -> None:
    text = "Hey Kev, I've passed your logs to the server team under ticket GM-7741."
    assert not _rules_only(text, "private")
    assert "pii" in {v.rule for v in _rules_only(text, "private", case_reference="CD-7K2M9Q")}
    # An e-ticket number is the customer's travel document, not our case.
    assert _rules_only("Hi Ann, is ticket 0161234567890 the right one?", "private")


def test_given_names_cover_many_countries_but_not_common_words_or_places() -> None:
    names = pii.given_names()
    assert {"marisol", "lucia", "amina", "karen", "priya"} <= names
    assert not {"will", "river", "paris", "brooklyn", "nova"} & (names - pii.FIRST_NAMES)
    assert pii.fold_name("Lucía") == "lucia"


def test_a_lone_name_needs_a_person_context_and_is_never_the_recipient() -> None:
    assert not _rules_only("@marisol_o Hi Marisol, sorry. Marisol, could you DM us?", "public")
    assert not _rules_only("@x Our Marisol range is back in stock.", "public")
    found = _rules_only("@x Hi Sam, the parcel was signed for by Marisol.", "public")
    assert [v.rule for v in found] == ["pii"]
