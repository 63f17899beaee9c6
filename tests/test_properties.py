"""Hypothesis properties of the structured pipeline.

- every generated valid identifier, in random Chinese context, with random separators and
  full-width forms, is found with its exact offsets;
- redacted text never contains the original value; no finding survives redaction;
- redacting twice equals redacting once;
- an identifier with format characters and look-alike digits hidden inside is found over its
  whole original span, and its redaction leaves no digit and no hidden character of it;
- two identifiers side by side (a space, a slash, 、 between them) are two findings.
"""
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import redactor
from redactor.detect.structured import StructuredDetector
from redactor.policy import KindPolicy, Policy
from redactor.synth import GENERATORS, Synth
from redactor.textview import fold as _fold
from redactor.textview import view_of, without_format

POLICY = Policy(names=False)

# Context alphabet: common CJK characters and punctuation, minus every character of the
# negative / public-phone context words, so random context cannot turn a value into a
# "contract number" or an office hotline by accident.
_det = StructuredDetector.default()
_banned = set("".join(
    ["索引号文号发文字号合同编号订单流水案金额人民币批准登记专利项目代码备案发票批次",
     "咨询电话监督举报投诉服务热线办公值班传真室受理方式"]))
CJK = [c for c in "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边" if c not in _banned]
PUNCT = list("，。；：、（）“”《》！？ \n")
CONTEXT_WORD = {"passport": "护照号码", "permit": "通行证号码"}

FULLWIDTH = {cp: cp + 0xFEE0 for cp in range(0x21, 0x7F)}


def decorate(kind: str, value: str, rnd: random.Random) -> str:
    """Random separators and full-width forms, as they occur in Word files."""
    if kind == "id_card" and rnd.random() < 0.3:
        value = f"{value[:6]} {value[6:14]} {value[14:]}"
    elif kind == "mobile":
        r = rnd.random()
        if r < 0.25:
            value = f"{value[:3]} {value[3:7]} {value[7:]}"
        elif r < 0.5:
            value = f"{value[:3]}-{value[3:7]}-{value[7:]}"
        elif r < 0.65:
            value = "+86 " + value
    elif kind == "bank_card" and rnd.random() < 0.4:
        value = " ".join(value[i:i + 4] for i in range(0, len(value), 4))
    if kind in ("id_card", "mobile", "bank_card", "landline") and rnd.random() < 0.3:
        value = value.translate(FULLWIDTH)
    if kind == "id_card" and value[-1] in "Xx" and rnd.random() < 0.5:
        value = value[:-1] + "x"
    return value


context = st.text(alphabet=st.sampled_from(CJK + PUNCT), min_size=0, max_size=30)
kinds = st.sampled_from(sorted(GENERATORS))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kind=kinds, seed=st.integers(0, 2**32 - 1), before=context, after=context)
def test_every_valid_identifier_is_found_with_exact_offsets(kind, seed, before, after):
    rnd = random.Random(seed)
    value = decorate(kind, GENERATORS[kind](Synth(rnd)), rnd)
    if kind in CONTEXT_WORD:  # these kinds need their context word within the window
        before = CONTEXT_WORD[kind] + before[-4:]
    text = before + value + after
    start = len(before)
    found = [(f.kind, f.start, f.end) for f in redactor.scan_text(text, POLICY)]
    assert (kind, start, start + len(value)) in found, (text, found)


@settings(max_examples=300, deadline=None)
@given(kind=kinds, seed=st.integers(0, 2**32 - 1), before=context, after=context)
def test_redaction_removes_value_and_is_idempotent(kind, seed, before, after):
    rnd = random.Random(seed)
    value = decorate(kind, GENERATORS[kind](Synth(rnd)), rnd)
    if kind in CONTEXT_WORD:
        before = CONTEXT_WORD[kind] + before[-4:]
    text = before + value + after
    once = redactor.redact_text(text, POLICY)
    if kind == "credit_code":  # organisations are reported, not masked, by default
        assert once == text
        return
    assert value not in once
    assert [f for f in redactor.scan_text(once, POLICY) if f.category == "personal"] == []
    assert redactor.redact_text(once, POLICY) == once


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(CJK + PUNCT + list("0123456789")), max_size=80))
def test_text_without_findings_is_unchanged(text):
    if not redactor.scan_text(text, POLICY):
        assert redactor.redact_text(text, POLICY) == text


# --- hidden characters inside identifiers (the normalised view) ---------------------------------
# Format characters a document may hide between the characters of a value, and look-alike forms
# of its digits: full-width (５) and mathematical (𝟓). The view removes and folds them; the finding
# must still cover the whole original span, so that masking replaces every hidden character too.
HIDDEN = ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2060", "\u00ad", "\u202a", "\u202e", "\u2066", "\ufeff"]
MATH_DIGIT = {str(d): chr(0x1D7CE + d) for d in range(10)}  # MATHEMATICAL BOLD DIGIT ZERO..NINE
HIDDEN_KINDS = ("id_card", "mobile", "bank_card", "landline")
# context without digits or Chinese numerals (a run of seven numerals reads as a number)
PLAIN_CJK = [c for c in CJK if c not in "〇零一二三四五六七八九十"]
plain_context = st.text(alphabet=st.sampled_from(PLAIN_CJK + PUNCT), min_size=0, max_size=20)
LABELS = Policy(names=False).with_kinds(**{k: KindPolicy(operator="label") for k in HIDDEN_KINDS})


def _alnum(text: str) -> str:
    return "".join(c for c in _fold(view_of(text).text) if c.isalnum())


def disguise(value: str, rnd: random.Random) -> str:
    """Each character may take a look-alike form and be followed by a hidden character."""
    out = []
    for i, ch in enumerate(value):
        r = rnd.random()
        if ch.isdigit() and r < 0.2:
            ch = MATH_DIGIT[ch]
        elif r < 0.4:
            ch = ch.translate(FULLWIDTH)
        out.append(ch)
        if i < len(value) - 1 and rnd.random() < 0.3:
            out.append(rnd.choice(HIDDEN))
    return "".join(out)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kind=st.sampled_from(HIDDEN_KINDS), seed=st.integers(0, 2**32 - 1), before=plain_context, after=plain_context)
def test_identifier_with_hidden_characters_is_found_and_wholly_masked(kind, seed, before, after):
    rnd = random.Random(seed)
    value = GENERATORS[kind](Synth(rnd))
    hidden = disguise(value, rnd)
    text = before + hidden + after
    span = (len(before), len(before) + len(hidden))
    found = [(f.start, f.end) for f in redactor.scan_text(text, POLICY) if f.kind == kind]
    assert span in found, (text, found)
    # the default mask: the value cannot be read back, whatever is removed or folded
    masked = redactor.redact_text(text, POLICY)
    assert _alnum(value) not in _alnum(masked)
    # replaced by its label: no digit of the value and no hidden character is left
    labelled = redactor.redact_text(text, LABELS)
    assert labelled.startswith(before) and labelled.endswith(after)
    middle = labelled[len(before):len(labelled) - len(after)]
    assert not any(c.isdigit() for c in middle) and without_format(middle) == middle, middle


# --- adjacent identifiers --------------------------------------------------------------------
PHONE_KINDS = ("mobile", "landline", "id_card")
SEPARATORS = [" ", "/", "、", "，", "；", " / ", "\u3000"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kinds=st.tuples(st.sampled_from(PHONE_KINDS), st.sampled_from(PHONE_KINDS)), seed=st.integers(0, 2**32 - 1),
       sep=st.sampled_from(SEPARATORS), before=plain_context, after=plain_context)
def test_two_identifiers_side_by_side_are_two_findings(kinds, seed, sep, before, after):
    rnd = random.Random(seed)
    a, b = (GENERATORS[k](Synth(rnd)) for k in kinds)
    text = before + a + sep + b + after
    found = {(f.kind, f.start, f.end) for f in redactor.scan_text(text, POLICY)}
    s = len(before)
    t = s + len(a) + len(sep)
    assert {(kinds[0], s, s + len(a)), (kinds[1], t, t + len(b))} <= found, (text, found)
