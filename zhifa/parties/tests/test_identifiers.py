"""Identity numbers and credit codes of parties: real-format valid and invalid values."""

import datetime
import random

import pytest
from django.core.exceptions import ValidationError

from zhifa.core.validators import validate_id_number, validate_uscc
from zhifa.parties.identifiers import make_id_number, make_uscc, org_code_check_char, random_org_body
from zhifa.parties.models import Party

from .conftest import COMPANY_CODE, OTHER_CODE, PERSON_ID


def _person(number, id_type=Party.RESIDENT_ID):
    return Party(kind=Party.NATURAL, name="张三", id_type=id_type, id_number=number)


def _company(code, kind=Party.LEGAL):
    return Party(kind=kind, name="某某有限公司", credit_code=code)


@pytest.mark.parametrize("code", [COMPANY_CODE, OTHER_CODE, "91110000600037341l", " 91350100M000100Y43 "])
def test_reference_vectors_are_valid_credit_codes(code):
    """The credit-code reference vectors (§8) pass GB 32100; case and spaces are normalised."""
    party = _company(code)
    party.clean()
    assert party.credit_code == code.strip().upper()


def test_identity_vector_is_a_person_number_not_a_credit_code():
    """11010519491231002X is the GB 11643 vector: valid for a person, refused as a credit code
    (its GB 32100 check character would be B), consistent with ``zhifa.core.validators``."""
    _person(PERSON_ID).clean()
    with pytest.raises(ValidationError, match="校验位错误"):
        _company(PERSON_ID).clean()


def test_reference_person_id_is_valid_and_derives_gender_and_birth():
    """11010519491231002X passes GB 11643; gender (female, even sequence) and birth date come from it."""
    party = _person(PERSON_ID.lower())
    party.clean()
    party.prepare()
    assert party.id_number == PERSON_ID
    assert party.gender == "F"
    assert party.birth_date == datetime.date(1949, 12, 31)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91110000600037341M", "校验位错误"),  # check character changed
        ("91350100M000100Y44", "校验位错误"),
        ("91110000600037341I", "无效字符"),  # I is not in the alphabet
        ("9111000060003734OL", "无效字符"),  # O
        ("911100006000373Z1L", "无效字符"),  # Z
        ("91110000600037S41L", "无效字符"),  # S
        ("9111000060003V341L", "无效字符"),  # V
        ("91A10000600037341L", "无效字符"),  # letter in the region code
        ("9111000060003734", "应为18位"),
    ],
)
def test_invalid_credit_codes_are_refused_in_chinese(code, message):
    """Changed check characters, letters I/O/Z/S/V and wrong lengths fail with a Chinese message."""
    with pytest.raises(ValidationError) as exc:
        _company(code).clean()
    assert message in " ".join(exc.value.message_dict["credit_code"])


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("110105194912310021", "校验位错误"),
        ("11010519491231002Y", "应为18位"),
        ("11010519491331002X", "出生日期无效"),
        ("99010519491231002X", "地址码"),
        ("1101051949123100", "应为18位"),
    ],
)
def test_invalid_resident_id_numbers_are_refused(number, message):
    """Resident ID numbers are checksum-, date- and region-checked."""
    with pytest.raises(ValidationError) as exc:
        _person(number).clean()
    assert message in " ".join(exc.value.message_dict["id_number"])


@pytest.mark.parametrize(("id_type", "number"), [("passport", "E12345678"), ("hk_macao_permit", "H12345678"),
                                                 ("taiwan_permit", "12345678")])
def test_other_documents_are_not_checksum_validated(id_type, number):
    """Only 居民身份证 is checksum-validated; other documents need 5–20 letters or digits."""
    party = _person(number, id_type)
    party.clean()
    assert party.id_number == number
    with pytest.raises(ValidationError, match="5至20位"):
        _person("E12-3", id_type).clean()


def test_credit_code_required_for_legal_persons_and_other_organisations_only():
    """法人 and 非法人组织 need a credit code; 个体工商户 may have none."""
    for kind in (Party.LEGAL, Party.OTHER_ORG):
        with pytest.raises(ValidationError) as exc:
            _company("", kind).clean()
        assert "必须填写统一社会信用代码" in exc.value.message_dict["credit_code"][0]
    _company("", Party.INDIVIDUAL_BUSINESS).clean()


def test_natural_person_needs_id_number():
    """A natural person cannot be registered without an identity number."""
    with pytest.raises(ValidationError) as exc:
        _person("").clean()
    assert exc.value.message_dict["id_number"] == ["自然人必须填写证件号码。"]


def test_generated_identifiers_pass_the_validators():
    """Demo and synthetic generators build numbers the validators accept."""
    rng = random.Random(7)
    for i in range(200):
        birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=rng.randrange(20000))
        assert validate_id_number(make_id_number("619921", birth, i % 1000))
        code = make_uscc("91", "619922", random_org_body(rng))
        assert validate_uscc(code) == code
        assert code[2:8] == "619922"


def test_organisation_code_check_character():
    """GB 11714 check character of a known organisation code (60003734-1)."""
    assert org_code_check_char("60003734") == "1"
