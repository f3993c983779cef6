import datetime as dt

import pytest

from kechuang.core import rules

TODAY = dt.date(2026, 1, 1)


@pytest.mark.parametrize("code", ["914403001922038216", "9144030071526726XG"])
def test_real_credit_codes_pass(code):
    assert rules.check_credit_code(code).ok


@pytest.mark.parametrize("code", ["914403001922038216", "9144030071526726XG"])
def test_any_single_changed_character_fails(code):
    for i in range(18):
        for replacement in "0A":
            if code[i] == replacement:
                continue
            mutated = code[:i] + replacement + code[i + 1 :]
            assert not rules.check_credit_code(mutated).ok, mutated


def test_full_width_spaces_and_lower_case_are_normalised():
    result = rules.check_credit_code(" ９１４４０３００７１５２６７２６ｘｇ　")
    assert result.ok
    assert result.value == "9144030071526726XG"


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("", "empty"),
        ("91440300192203821", "length"),
        ("91440300192203821I", "charset"),
        ("Z14403001922038216", "charset"),
        ("B14403001922038216", "authority"),
        ("94440300192203821X", "entity_type"),
        ("914403001922038226", "org_check"),
    ],
)
def test_credit_code_failures_say_why(code, reason):
    result = rules.check_credit_code(code)
    assert not result.ok
    assert result.code == reason
    assert result.message  # a Chinese sentence for the user


def test_make_credit_code_round_trips():
    code = rules.make_credit_code("9", "1", "370306", "MA3C1234")
    assert rules.check_credit_code(code).ok
    assert rules.describe_credit_code(code) == {
        "authority": "工商（市场监管）",
        "entity_type": "企业",
        "division": "370306",
    }


def test_id_number_sample_from_the_standard():
    assert rules.check_id_number("53010219200508011X", today=TODAY).ok
    assert rules.check_id_number("53010219200508011x", today=TODAY).ok  # lower-case x accepted


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("530102192005080119", "check_char"),
        ("53010219201308011X", "birth_date"),
        ("5301021920050801", "length"),
        ("5301021920050801AX", "charset"),
    ],
)
def test_bad_id_numbers(number, reason):
    result = rules.check_id_number(number, today=TODAY)
    assert not result.ok and result.code == reason


def test_id_birth_date_in_future_fails():
    first17 = "37030620990101001"
    number = first17 + rules.id_check_char(first17)
    assert rules.check_id_number(number, today=dt.date(2026, 1, 1)).code == "birth_date"


def test_masking():
    assert rules.mask_id_number("370306198001010016") == "3703**********0016"
    assert rules.mask_phone("13812345678") == "138****5678"
    assert rules.id_number_gender("53010219200508011X") == "male"


CODE_INPUTS = [
    "914403001922038216", "9144030071526726XG", "9144030071526726xg", "９１４４０３００７１５２６７２６ＸＧ",
    "914403001922038217", "9144030071526726XA", "91440300192203821", "9144030019220382160", "91440300192203821I",
    "Y14403001922038216", "A14403001922038216", "0" * 18, "Y" * 18, "91A403001922038216", "914403ABCDEFGHJK16",
    "9144030019220382 6", "914403001922038２16", "", " ", "ＩＯＺ",
]  # fmt: skip


def test_credit_code_fast_path_gives_what_normalising_first_gives():
    """An already-normal 18-character code skips `normalise`; with a trailing space (19 characters) the same
    code goes the general way, and every result (ok, value, message, reason) must be the same."""
    import random

    rnd = random.Random(12)
    inputs = list(CODE_INPUTS)
    alphabet = rules.CREDIT_CODE_CHARS + "IOZSVaz ９Ａ"
    for _ in range(3000):
        inputs.append("".join(rnd.choice(alphabet) for _ in range(18)))
        body = "".join(rnd.choice(rules.CREDIT_CODE_CHARS) for _ in range(8))
        inputs.append(rules.make_credit_code(rnd.choice("9159Y"), "1", "370303", body))
    for text in inputs:
        assert rules.check_credit_code(text) == rules.check_credit_code(text + " "), text
    assert rules.check_credit_code(None) == rules.check_credit_code("")


def _org_check_char_reference(first8: str) -> str:
    """The organisation code check character as computed before the table lookup."""

    def value(c: str) -> int:
        return int(c) if c.isdigit() else ord(c) - ord("A") + 10

    c = 11 - sum(value(ch) * w for ch, w in zip(first8, [3, 7, 9, 10, 5, 8, 4, 2], strict=True)) % 11
    return {10: "X", 11: "0"}.get(c, str(c))


def test_org_code_check_char_gives_what_it_gave_before():
    import random

    rnd = random.Random(7)
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcz(#"
    bodies = ["00000000", "ZZZZZZZZ", "12345678", "D2143569", "MA3C4X1N"]
    bodies += ["".join(rnd.choice(alphabet) for _ in range(8)) for _ in range(5000)]
    for body in bodies:
        assert rules.org_code_check_char(body) == _org_check_char_reference(body), body


def test_normalise_fast_path_gives_what_the_general_path_gives():
    import random
    import unicodedata

    def reference(raw):
        if raw is None:
            return ""
        text = unicodedata.normalize("NFKC", str(raw)).translate(rules._FULLWIDTH)
        return "".join(text.split()).upper()

    rnd = random.Random(3)
    alphabet = rules.CREDIT_CODE_CHARS + "IOZSVaxy ９Ａ\u3000\t-"
    inputs = [None, "", "0", "X", "3703", "370303199001010016", "37030319900101001x", "ＡＢ", 12, 0]
    inputs += ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 20))) for _ in range(3000)]
    for raw in inputs:
        assert rules.normalise(raw) == reference(raw), raw


def test_credit_code_check_char_gives_what_the_strict_zip_gave():
    import random

    def reference(first17):
        total = sum(rules._CREDIT_VALUE[c] * w for c, w in zip(first17, rules._CREDIT_WEIGHTS, strict=True))
        return rules.CREDIT_CODE_CHARS[(31 - total % 31) % 31]

    def outcome(fn, text):
        try:
            return fn(text)
        except (KeyError, ValueError) as exc:
            return type(exc)

    rnd = random.Random(5)
    texts = ["9137030319900101", "91370303199001010", "913703031990010101", "", "I" * 17, "0" * 17, "Y" * 17]
    for _ in range(3000):
        texts.append(
            "".join(rnd.choice(rules.CREDIT_CODE_CHARS + "I") for _ in range(rnd.choice((16, 17, 17, 18))))
        )
    for text in texts:
        assert outcome(rules.credit_code_check_char, text) == outcome(reference, text), text
