"""Masking of personal data (个人信息遮蔽) for lists, pages, API responses and exports.

One definition of how identity numbers, phone numbers and names are shown when the viewer
is not entitled to the full value. The internal pages use it for natural persons' identity
and phone numbers; the public portal reuses it for published decisions (PUB-3).

- ``mask_id_number("61011319900307123X")`` → ``"610113********123X"`` (region code and last
  four kept); shorter documents (passports, 通行证) keep two characters at each end.
- ``mask_phone("13812345678")`` → ``"138****5678"``; landlines keep the area code and the last
  four digits (``"029-****1234"``).
- ``mask_name("张三")`` → ``"张*"``; ``"欧阳娜娜"`` → ``"欧阳**"`` (for the public portal).
"""

MASK = "*"

# Two-character Chinese surnames (复姓) kept whole by ``mask_name``.
COMPOUND_SURNAMES = frozenset(
    "欧阳 太史 端木 上官 司马 东方 独孤 南宫 万俟 闻人 夏侯 诸葛 尉迟 公羊 赫连 澹台 皇甫 宗政 濮阳 公冶 "
    "太叔 申屠 公孙 慕容 仲孙 钟离 长孙 宇文 司徒 鲜于 司空 闾丘 子车 亓官 司寇 巫马 公西 颛孙 壤驷 公良 "
    "漆雕 乐正 宰父 谷梁 拓跋 夹谷 轩辕 令狐 段干 百里 呼延 东郭 南门 羊舌 微生 公户 公玉 公仪 梁丘 公仲 "
    "公上 公门 公山 公坚 左丘 公伯 西门 公祖 第五 公乘 贯丘 公皙 南荣 东里 东宫 仲长 子书 子桑 即墨 达奚 "
    "褚师".split()
)


def mask_id_number(value: str | None) -> str:
    """An identity document number with its middle hidden.

    18-character (and old 15-digit) resident ID numbers keep the six-digit region code and
    the last four characters; other documents keep two characters at each end; very short
    values keep only the last character.
    """
    text = (value or "").strip()
    n = len(text)
    if n == 0:
        return ""
    if n >= 15:
        head, tail = 6, 4
    elif n >= 6:
        head, tail = 2, 2
    else:
        head, tail = 0, 1
    return text[:head] + MASK * (n - head - tail) + text[n - tail :]


def mask_phone(value: str | None) -> str:
    """A phone number with its middle digits hidden (138****5678, 029-****1234).

    Mobile numbers (11 digits beginning with 1) keep the first three and last four digits;
    landlines written with an area code and a dash keep the area code and the last four
    digits; other numbers of eight digits or more keep the first three and last four,
    shorter ones only the last two. Separators (-, spaces, parentheses) are kept.
    """
    text = (value or "").strip()
    digits = [i for i, ch in enumerate(text) if ch.isdigit()]
    count = len(digits)
    if count == 0:
        return MASK * len(text)
    is_mobile = count == 11 and text[digits[0]] == "1"
    if not is_mobile and "-" in text:
        dash = text.index("-")
        local = [i for i in digits if i > dash]
        keep = 4 if len(local) >= 6 else min(2, len(local))
        hidden = set(local[: len(local) - keep])
    elif count >= 8:
        hidden = set(digits[3 : count - 4])
    else:
        hidden = set(digits[: count - min(2, count)])
    return "".join(MASK if i in hidden else ch for i, ch in enumerate(text))


def mask_name(value: str | None) -> str:
    """A personal name with all but the surname hidden (张*, 欧阳**); for published texts."""
    text = (value or "").strip()
    if not text:
        return ""
    keep = 2 if len(text) > 2 and text[:2] in COMPOUND_SURNAMES else 1
    if len(text) <= keep:
        return text[:1] + MASK
    return text[:keep] + MASK * (len(text) - keep)
