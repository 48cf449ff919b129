"""Count SMS segments the way phone networks do (GSM-7 or UCS-2) and split replies to fit a phone."""

import math
import re
import unicodedata

GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = set("^{}\\[~]|€\f")  # each takes two septets (an escape, then the character)
SINGLE = {"GSM-7": 160, "UCS-2": 70}
PART = {"GSM-7": 153, "UCS-2": 67}  # in a concatenated message each part loses room to a header
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


def encoding(text: str) -> str:
    """Return GSM-7 when every character is in the GSM alphabet, else UCS-2."""
    return "GSM-7" if all(c in GSM7_BASIC or c in GSM7_EXTENDED for c in text) else "UCS-2"


def units(text: str, code: str | None = None) -> int:
    """Return the length in septets (GSM-7) or UTF-16 code units (UCS-2)."""
    code = code or encoding(text)
    if code == "GSM-7":
        return sum(2 if c in GSM7_EXTENDED else 1 for c in text)
    return len(text.encode("utf-16-le")) // 2


def segments(text: str) -> int:
    """Return how many SMS segments this text is sent as."""
    code = encoding(text)
    size = units(text, code)
    return 1 if size <= SINGLE[code] else math.ceil(size / PART[code])


def _joins_previous(char: str, previous: str) -> bool:
    """True when the character belongs to the same visible symbol as the one before it."""
    point = ord(char)
    return (
        unicodedata.category(char) in ("Mn", "Me", "Mc")
        or char in ("\u200d", "\ufe0e", "\ufe0f", "\u20e3")
        or previous == "\u200d"
        or 0x1F3FB <= point <= 0x1F3FF  # skin tones
        or 0xE0020 <= point <= 0xE007F  # tag characters (subdivision flags)
    )


def graphemes(text: str) -> list[str]:
    """Split text into visible symbols, keeping emoji sequences and flags whole."""
    clusters: list[str] = []
    for char in text:
        if clusters and _joins_previous(char, clusters[-1][-1]):
            clusters[-1] += char
        elif (
            clusters
            and 0x1F1E6 <= ord(char) <= 0x1F1FF
            and len(clusters[-1]) == 1
            and 0x1F1E6 <= ord(clusters[-1]) <= 0x1F1FF
        ):
            clusters[-1] += char  # the second letter of a flag
        else:
            clusters.append(char)
    return clusters


def _fits(text: str, max_segments: int) -> bool:
    return segments(text) <= max_segments


def _hard_split(text: str, max_segments: int) -> list[str]:
    """Split a run with no spaces at symbol boundaries."""
    parts, current = [], ""
    for symbol in graphemes(text):
        if current and not _fits(current + symbol, max_segments):
            parts.append(current)
            current = ""
        current += symbol
    return parts + ([current] if current else [])


def _pack(pieces: list[str], sep: str, max_segments: int, finer) -> list[str]:
    parts, current = [], ""
    for piece in pieces:
        candidate = f"{current}{sep}{piece}" if current else piece
        if _fits(candidate, max_segments):
            current = candidate
            continue
        if current:
            parts.append(current)
        if _fits(piece, max_segments):
            current = piece
        else:
            *whole, current = finer(piece)
            parts.extend(whole)
    return parts + ([current] if current else [])


def split_for_sms(text: str, max_segments: int = 2) -> list[str]:
    """Split a reply into texts of at most max_segments each: at sentences, then words, never inside an emoji."""
    text = text.strip()
    if not text:
        return []

    def by_words(sentence: str) -> list[str]:
        return _pack(sentence.split(), " ", max_segments, lambda word: _hard_split(word, max_segments))

    return _pack(SENTENCE_END.split(text), " ", max_segments, by_words)
