"""Chinese names of the holidays ``chinesecalendar`` reports in English."""

HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def chinese_name(name: str) -> str:
    """The Chinese name of a ``chinesecalendar`` holiday (unknown names are kept as they are)."""
    return HOLIDAY_NAMES.get(name, name)
