"""Fold text so that what people type finds what curators wrote.

"Čupić", "Cupic" and "Чупић" all fold to "cupic"; "Đoković" and "Djokovic" both fold to
"djokovic". The same folding is applied to indexed text and to queries.
"""

import re
import unicodedata

# Serbian Cyrillic to Gaj's Latin alphabet, one letter at a time.
_CYRILLIC_TO_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ђ": "đ", "е": "e", "ж": "ž", "з": "z",
    "и": "i", "ј": "j", "к": "k", "л": "l", "љ": "lj", "м": "m", "н": "n", "њ": "nj", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "ћ": "ć", "у": "u", "ф": "f", "х": "h", "ц": "c",
    "ч": "č", "џ": "dž", "ш": "š",
}  # fmt: skip
_TRANSLIT = str.maketrans(
    {**_CYRILLIC_TO_LATIN, **{k.upper(): v.capitalize() for k, v in _CYRILLIC_TO_LATIN.items()}}
)
_WORD = re.compile(r"\w+")


def to_latin(text: str) -> str:
    """Transliterate Serbian Cyrillic to Latin script; other characters pass through."""
    return text.translate(_TRANSLIT)


def fold(text: str) -> str:
    """Lower-case Latin text without diacritics, with "đ" spelled "dj".

    >>> fold("Đoković, Чупић")
    'djokovic, cupic'
    """
    text = to_latin(text).casefold().replace("đ", "dj")
    decomposed = unicodedata.normalize("NFKD", text).translate(_COMMON_MARKS)
    if decomposed.isascii():  # the marks of Latin and Serbian text are gone: nothing left to drop
        return decomposed
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


#: The combining marks of U+0300..U+036F (accents, carons...), dropped in one pass.
_COMMON_MARKS = {cp: None for cp in range(0x300, 0x370) if unicodedata.combining(chr(cp))}


def words(text: str) -> list[str]:
    """The folded words of a text, in order."""
    return _WORD.findall(fold(text))
