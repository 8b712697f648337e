"""Numbers as sentences and sources write them, in German, English, Russian and Ukrainian.

"400.000", "400,000", "400 000", "0,4 Millionen", "400 тысяч" and "400 thousand"
are one value; "12,5 %" and "12.5%" another; "25-jährige", "25-year-old" and
"25-летний" an age; "zwei", "two" and "двое" a count written out. A value
keeps the qualifier it was written with ("über", "rund", "bis zu"), because
"über 400.000" is borne out by a source's 412,000 and "400.000" is not.
Years are dates, not quantities: ``crawler.checks.anchors`` reads them.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

# -- patterns (data) ----------------------------------------------------------

SPACES = "\u00a0\u202f\u2009 "
DIGITS = re.compile(rf"(?<![\w.,])(?<![^\W\d_]-)(?P<num>\d{{1,3}}(?:[{SPACES}.,']\d{{3}})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)"
                    r"(?P<suffix>bn|m|k)?(?![\w])")  # "€412m", "1.3bn": English shorthand for millions, billions
MAGNITUDES = {
    2: ("hundert", "hundred", "сотни", "сот"),
    3: ("tausend", "tsd", "thousand", "thousands", "тыс", "тысяч", "тысячи", "тысяча", "тисяч", "тисячі",
        "тисяча", "тис"),
    6: ("million", "millionen", "mio", "mln", "m", "millions", "млн", "миллион", "миллиона", "миллионов",
        "мільйон", "мільйона", "мільйонів", "мільйони"),
    9: ("milliarde", "milliarden", "mrd", "billion", "billions", "bn", "млрд", "миллиард", "миллиарда",
        "миллиардов", "мільярд", "мільярда", "мільярдів", "мільярди"),
}
MAGNITUDE = {word: power for power, words in MAGNITUDES.items() for word in words}
PERCENT = ("%", "prozent", "percent", "per cent", "процент", "процента", "процентов", "відсотків", "відсотка")
AGE = re.compile(r"^[-‑–]?\s?(?:jährige[nrms]?|year-old|years-old|летн\w*|річн\w*)", re.I)
QUALIFIERS = {
    "over": ("über", "mehr als", "more than", "over", "upwards of", "above", "более", "больше", "свыше", "понад",
             "більше", "більш ніж", "mindestens", "at least", "не менее", "не менше"),
    "about": ("rund", "etwa", "ca.", "circa", "ungefähr", "knapp", "fast", "nahezu", "about", "around", "roughly",
              "approximately", "nearly", "almost", "some", "около", "примерно", "почти", "порядка", "близько",
              "приблизно", "майже"),
    "upto": ("bis zu", "up to", "as many as", "до", "не более", "не більше"),
}
NUMBER_WORDS = {
    2: ("zwei", "two", "два", "две", "двое", "двух", "двум", "двумя", "дві", "двоє", "двох", "двом", "both"),
    3: ("drei", "three", "три", "трое", "трёх", "трех", "трем", "трём", "тремя", "троє", "трьох", "трьом"),
    4: ("vier", "four", "четыре", "четверо", "четырех", "четырёх", "чотири", "чотирьох"),
    5: ("fünf", "five", "пять", "пятеро", "пяти", "п'ять", "п’ять", "п'яти", "п’яти"),
    6: ("sechs", "six", "шесть", "шестеро", "шести", "шість", "шести"),
    7: ("sieben", "seven", "семь", "семи", "сім"),
    8: ("acht", "eight", "восемь", "восьми", "вісім"),
    9: ("neun", "nine", "девять", "девяти", "дев'ять", "дев’ять"),
    10: ("zehn", "ten", "десять", "десяти"),
    11: ("elf", "eleven", "одиннадцать", "одинадцять"),
    12: ("zwölf", "twelve", "двенадцать", "двенадцати", "дванадцять"),
    15: ("fünfzehn", "fifteen", "пятнадцать", "п'ятнадцять"),
    20: ("zwanzig", "twenty", "двадцать", "двадцяти", "двадцять"),
    30: ("dreißig", "thirty", "тридцать", "тридцять"),
    100: ("hundert", "hundred", "сто", "ста", "сотня"),
    200: ("zweihundert", "двести", "двухсот", "двохсот", "двісті"),
    300: ("dreihundert", "триста", "трехсот", "трёхсот", "триста"),
    400: ("vierhundert", "четыреста", "четырехсот", "чотириста"),
    500: ("fünfhundert", "пятьсот", "пятисот", "п'ятсот"),
    1000: ("tausend", "thousand", "тысяча", "тысячи", "тысяч", "тисяча", "тисячі"),
    1000000: ("million", "миллион", "мільйон"),
}
WORD_VALUE = {word: value for value, words in NUMBER_WORDS.items() for word in words}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
UNITS_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
COMPOUND = re.compile(r"(?<![\w-])(?P<tens>" + "|".join(TENS) + r")[-‑](?P<unit>" + "|".join(UNITS_WORDS) + r")(?![\w-])",
                      re.I)
RANGE_WORDS = {"-", "–", "—", "bis", "to", "and", "und", "до", "і", "и", "або", "or", "oder"}
LIST_WORDS = {"und", "and", "or", "oder", "bzw", "beziehungsweise", "und/oder", "и", "или", "та", "і", "й", "або",
              "to", "bis", "до", "von", "from", "от", "від"}
WORD = re.compile(r"(?<![\w'’-])(?P<word>[^\W\d_]+(?:['’][^\W\d_]+)?)(?![\w'’])")
THOUSANDS_DOT = {"de", "ru", "uk", "fr", "es", "it", "pl"}  # "400.000" is four hundred thousand


# what a figure counts, in the four languages: two figures of different kinds never agree or contradict
UNITS = {
    "money": ("euro", "eur", "€", "евро", "євро", "dollar", "dollars", "usd", "$", "долларов", "доллара", "долл",
              "доларів", "долара", "tenge", "тенге", "rubel", "rubles", "roubles", "rubel", "рублей", "рубля", "руб",
              "hryvnias", "hryvnia", "hrywnja", "hrywnja", "гривен", "гривны", "гривень", "гривні", "грн", "yuan",
              "юаней", "франков", "pfund", "pounds", "фунтов", "£", "lari", "лари", "som", "сом", "сумов", "sum"),
    "distance": ("km", "kilometer", "kilometre", "kilometres", "kilometers", "км", "километров", "кілометрів",
                 "meter", "metres", "meters", "метров", "метрів", "miles", "meilen"),
    "pages": ("seiten", "pages", "страниц", "сторінок", "seite", "page"),
    "time": ("jahre", "jahren", "years", "year", "лет", "года", "год", "років", "роки", "tage", "tagen", "days",
             "дней", "днів", "stunden", "hours", "часов", "годин", "monate", "monaten", "months", "месяцев",
             "місяців", "wochen", "weeks", "недель", "тижнів", "minutes", "minuten", "минут", "хвилин"),
    "area": ("hektar", "hectares", "гектаров", "гектарів", "quadratkilometer", "km²", "кв"),
    "weight": ("tonnen", "tonnes", "tons", "тонн", "тонн", "kilogramm", "kilograms", "кг"),
}
UNIT_OF = {word: kind for kind, words in UNITS.items() for word in words}


@dataclass(frozen=True)
class Quantity:
    """A number as written: its value, what qualified it, and whether it counts years of age."""

    value: float
    text: str
    start: int
    end: int
    qualifier: str | None = None  # "over", "about", "upto"
    percent: bool = False
    age: bool = False
    spelled: bool = False  # written as a word ("zwei")
    unit: str | None = None  # the kind of thing counted, when it is a known measure ("money", "time", ...)


# -- reading ----------------------------------------------------------------------


def quantities(text: str, lang: str | None = None) -> list[Quantity]:
    """Every quantity in ``text`` (digits and number words), in order; years are left out."""
    found = [q for q in (_digits(m, text, lang) for m in DIGITS.finditer(text)) if q is not None]
    taken = [(q.start, q.end) for q in found]
    for match in COMPOUND.finditer(text):  # "seventy-four"
        if not any(s <= match.start() < e for s, e in taken):
            value = TENS[match["tens"].casefold()] + UNITS_WORDS[match["unit"].casefold()]
            found.append(_with_context(value, text, match.start(), match.end(), spelled=True))
            taken.append((found[-1].start, found[-1].end))
    for match in WORD.finditer(text):
        word = match["word"].casefold()
        if word in WORD_VALUE and not any(s <= match.start() < e for s, e in taken):
            found.append(_with_context(WORD_VALUE[word], text, match.start(), match.end(), spelled=True))
            taken.append((found[-1].start, found[-1].end))
    return _ranges(sorted(found, key=lambda q: q.start), text)


def _ranges(found: list[Quantity], text: str) -> list[Quantity]:
    """"от трёх до пяти тысяч", "3 bis 5 Millionen": the second figure's magnitude is the first's too."""
    out = list(found)
    for i, (first, second) in enumerate(zip(found, found[1:])):
        between = text[first.end:second.start].strip().casefold()
        scaled = second.value / max(_bare(second, text), 1)
        if between in RANGE_WORDS and scaled >= 1000 and first.value < 1000 <= second.value:
            out[i] = dataclasses.replace(first, value=first.value * scaled, unit=second.unit)
    return out


def _bare(quantity: Quantity, text: str) -> float:
    """The figure as written before its magnitude word: 5 for "пяти тысяч"."""
    head = quantity.text.split()[0] if quantity.text.split() else ""
    digits = DIGITS.match(head)
    if digits:
        return parse_number(digits["num"], None) or quantity.value
    return WORD_VALUE.get(head.casefold()) or quantity.value


def _digits(match: re.Match, text: str, lang: str | None) -> Quantity | None:
    raw = match["num"]
    value = parse_number(raw, lang)
    if value is None:
        return None
    after = text[match.end():match.end() + 24]
    if _is_year(raw, value, after, text[:match.start()]):
        return None
    if match["suffix"]:
        value *= {"k": 1e3, "m": 1e6, "bn": 1e9}[match["suffix"]]
    return _with_context(value, text, match.start(), match.end())


def _with_context(value: float, text: str, start: int, end: int, spelled: bool = False) -> Quantity:
    after = text[end:end + 24]
    before = text[max(0, start - 24):start].casefold()
    magnitude = _magnitude(after)
    end_all = end
    if magnitude:
        value *= 10 ** magnitude[0]
        end_all = end + magnitude[1]
    percent = after.lstrip(SPACES).casefold().startswith(PERCENT)
    age = AGE.match(after) is not None
    unit = _unit(text[max(0, start - 2):start], text[end_all:end_all + 48])
    return Quantity(value, text[start:end_all], start, end_all, _qualifier(before), percent, age, spelled, unit)


def _unit(before: str, after: str) -> str | None:
    """The measure a figure counts: a currency sign before it, or the first word after it that is no
    further figure of a list ("64, 71 beziehungsweise 88 Tagen" are all days)."""
    if before.strip()[-1:] in ("€", "$", "£"):
        return "money"
    for token in re.findall(r"[^\W\d_]+|[€$£²]|\d+", after):
        low = token.casefold()
        if token.isdigit() or low in LIST_WORDS or low in WORD_VALUE:
            continue
        return UNIT_OF.get(low)
    return None


def parse_number(raw: str, lang: str | None) -> float | None:
    """The value of a digit string, reading its separators as the language writes them."""
    compact = raw
    for space in SPACES + "'":
        compact = compact.replace(space, "")
    groups = re.split(r"[.,]", compact)
    separators = re.findall(r"[.,]", compact)
    if not separators:
        return float(compact)
    if len(set(separators)) == 2:  # "1.234,5" or "1,234.5": the last one is the decimal point
        decimal = separators[-1]
        whole, _, fraction = compact.rpartition(decimal)
        return float(re.sub(r"[.,]", "", whole) + "." + fraction)
    separator = separators[0]
    thousands_style = all(len(g) == 3 for g in groups[1:])
    if len(separators) > 1:
        return float("".join(groups)) if thousands_style else None
    if thousands_style and (separator == "," and (lang or "en") not in THOUSANDS_DOT
                            or separator == "." and (lang or "en") in THOUSANDS_DOT):
        return float("".join(groups))
    return float(compact.replace(",", "."))


SLAVIC_MAGNITUDES = (("тыс", 3), ("тис", 3), ("млн", 6), ("миллион", 6), ("мільйон", 6), ("млрд", 9),
                     ("миллиард", 9), ("мільярд", 9))  # every case: "тысячам", "мільйонами"


def _magnitude(after: str) -> tuple[int, int] | None:
    match = re.match(r"[\s\u00a0\u202f]*(?P<word>[^\W\d_]+)\.?", after)
    if not match:
        return None
    word = match["word"].casefold()
    if word in MAGNITUDE:
        return MAGNITUDE[word], match.end()
    power = next((power for stem, power in SLAVIC_MAGNITUDES if word.startswith(stem)), None)
    return (power, match.end()) if power else None


def _qualifier(before: str) -> str | None:
    before = " ".join(before.split())
    for kind, words in QUALIFIERS.items():
        if any(before.endswith(" " + w) or before == w for w in words):
            return kind
    return None


def _is_year(raw: str, value: float, after: str, before: str) -> bool:
    """A four-digit number from 1800 to 2099 standing alone is a year ("2022", "im Jahr 2025")."""
    if not re.fullmatch(r"(?:18|19|20)\d\d", raw):
        return False
    return not (after.lstrip(SPACES).casefold().startswith(PERCENT) or _magnitude(after))


# -- comparing ----------------------------------------------------------------------


def agrees(claim: Quantity, stated: Quantity, units: bool = True) -> bool:
    """Does the source's quantity bear out the sentence's, as a careful reader would accept?

    "über 12.000" is borne out by 12,340; "rund 3 Mrd." by 2.9 billion; a round
    "1,5 Millionen" by 1,480,000; a precise "12,5 %" only by 12.5 %.
    """
    if claim.percent != stated.percent and not (claim.spelled or stated.spelled):
        return False
    if units and claim.unit != stated.unit and not (claim.spelled or stated.spelled):
        return False  # 400 cases are not 400 pages; 3 billion euros are not 3 billion people
    a, b = claim.value, stated.value
    if a == b:
        return True
    if claim.qualifier == "over":
        return a <= b <= a * 1.35
    if claim.qualifier == "upto":
        return a * 0.75 <= b <= a
    if claim.qualifier == "about" or stated.qualifier == "about" or _round(a):
        return abs(a - b) <= 0.1 * a
    return False


def _round(value: float) -> bool:
    """A figure with at most two significant digits ("400.000", "1,5 Millionen") is a rounded one."""
    if value < 100 or value != int(value):
        return False
    digits = str(int(value)).rstrip("0")
    return len(digits) <= 2
