#!/usr/bin/env python3
"""Same-work benchmark: the same SYNTHETIC Markdown pages through tsunagu,
and through Zola and Hugo when they are on the PATH (issue 22).

Usage: benches/markdown.py [--pages 20000] [--runs 3] [--bin target/release/tsunagu]
                           [--dir /dev/shm/tsunagu-markdown]

Writes N pages (N/2 keys, each in Japanese and English, ~2.5 KB of Markdown with
headings, a list, a table and links; marked synthetic; never inside content/)
as a project for each tool under --dir (tmpfs by default: on ext4 file-system
time dominates), then times, with runs interleaved tool by tool (the machine
is noisy):
  - cold: output directory (and tsunagu's manifest) deleted first;
  - no-change: a rebuild with nothing changed;
  - one-page edit: a rebuild after one page's text changed.
Zola and Hugo have no incremental build: they rebuild everything each time,
so only their cold builds are timed. Each tool runs with HTML minification on
(tsunagu always minifies; Zola `minify_html = true`, Hugo `--minify`) and,
for Zola and Hugo, also off. Prints one Markdown table of medians (wall,
pages/s, user+sys CPU, peak RSS) followed by the raw runs.
"""

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

WORDS_JA = ["医療的ケア", "コーディネーター", "相談支援", "訪問看護", "学校", "保育所", "福祉サービス",
            "人工呼吸器", "経管栄養", "たん吸引", "家族", "地域", "連絡調整", "支援計画", "短期入所"]
WORDS_EN = ["medical care", "coordinator", "consultation", "home nursing", "school", "nursery",
            "welfare service", "ventilator", "tube feeding", "suction", "family", "area",
            "liaison", "support plan", "short stay"]


def sentence(rng, words, ja):
    picked = [rng.choice(words) for _ in range(rng.randint(5, 9))]
    if ja:
        return "、".join(picked) + "について説明します。"
    text = " ".join(picked)
    return text[0].upper() + text[1:] + " are described here."


def body(rng, i, lang, keys):
    """About 2.5 KB of mixed Japanese/English Markdown."""
    ja = lang == "ja"
    words = WORDS_JA if ja else WORDS_EN
    other = WORDS_EN if ja else WORDS_JA
    out = [f"Synthetic benchmark page {i} (合成データ・実在しない).", ""]
    for section in range(3):
        out.append(f"## {'節' if ja else 'Section'} {section + 1}: {rng.choice(words)}")
        out.append("")
        out.append(" ".join(sentence(rng, words, ja) for _ in range(3)) + f" ({rng.choice(other)})")
        out.append("")
    out.append("- " + "\n- ".join(sentence(rng, words, ja) for _ in range(4)))
    out.append("")
    out.append("| 項目 | Item | 値 |" if ja else "| Item | 項目 | Value |")
    out.append("| --- | --- | --- |")
    for r in range(4):
        out.append(f"| {rng.choice(words)} | {rng.choice(other)} | {rng.randint(1, 999)} |")
    out.append("")
    links = rng.sample(range(keys), 3)
    out.append(" ".join(f"[{'ページ' if ja else 'page'} {k}]({{link{k}}})" for k in links))
    out.append("")
    return "\n".join(out)


def pages(n, seed=22):
    """(key index, lang, title, body with {linkK} placeholders), deterministic."""
    rng = random.Random(seed)
    keys = max(1, n // 2)
    for i in range(keys):
        for lang in ("ja", "en"):
            title = (f"合成ページ {i}" if lang == "ja" else f"Synthetic page {i}")
            yield i, lang, title, body(rng, i, lang, keys)


def key(i):
    return f"p{i:05d}"


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def links(text, fmt):
    return re.sub(r"\{link(\d+)\}", lambda m: fmt(int(m.group(1))), text)


SOURCES = """# SYNTHETIC: benchmark pages, not facts.
[[source]]
id = "synthetic"
title = { ja = "合成データ（ベンチマーク用・実在しない）", en = "Synthetic data (benchmark; not real)" }
publisher = { ja = "tsunagu benches", en = "tsunagu benches" }
"""


def tsunagu_project(root, n):
    write(f"{root}/tsunagu.toml", 'base_url = "https://example.invalid/"\nlanguages = ["ja", "en"]\n'
          'title = { ja = "合成サイト", en = "Synthetic site" }\n'
          'description = { ja = "ベンチマーク用の合成サイトです。", en = "A synthetic benchmark site." }\n'
          "pdf_flyers = false\n")
    write(f"{root}/data/sources.toml", SOURCES)
    for lang, title in (("ja", "合成サイト"), ("en", "Synthetic site")):
        write(f"{root}/content/_index.{lang}.md",
              f'+++\ntitle = "{title}"\nsources = ["synthetic"]\nas_of = "2026-12"\n+++\nSynthetic.\n')
    for i, lang, title, text in pages(n):
        front = f'+++\ntitle = "{title}"\nsources = ["synthetic"]\nas_of = "2026-12"\n+++\n'
        write(f"{root}/content/bench/{key(i)}.{lang}.md",
              front + links(text, lambda k: f"@/bench/{key(k)}"))


ZOLA_TEMPLATE = """<!doctype html><html lang="{{ lang }}"><head><meta charset="utf-8">
<title>{{ page.title | default(value=section.title | default(value="")) }}</title></head>
<body><main>{% if page %}<h1>{{ page.title }}</h1>{{ page.content | safe }}{% else %}{{ section.content | safe }}{% endif %}</main></body></html>
"""


def zola_project(root, n, minify):
    write(f"{root}/config.toml", 'base_url = "https://example.invalid"\ndefault_language = "ja"\n'
          f"minify_html = {'true' if minify else 'false'}\ncompile_sass = false\nbuild_search_index = false\n"
          "[languages.en]\n")
    for name in ("index.html", "section.html", "page.html"):
        write(f"{root}/templates/{name}", ZOLA_TEMPLATE)
    write(f"{root}/content/_index.md", '+++\ntitle = "合成サイト"\n+++\nSynthetic.\n')
    write(f"{root}/content/_index.en.md", '+++\ntitle = "Synthetic site"\n+++\nSynthetic.\n')
    write(f"{root}/content/bench/_index.md", '+++\ntitle = "bench"\nrender = false\n+++\n')
    write(f"{root}/content/bench/_index.en.md", '+++\ntitle = "bench"\nrender = false\n+++\n')
    for i, lang, title, text in pages(n):
        suffix = "" if lang == "ja" else ".en"
        write(f"{root}/content/bench/{key(i)}{suffix}.md", f'+++\ntitle = "{title}"\n+++\n'
              + links(text, lambda k: f"@/bench/{key(k)}{suffix}.md"))


HUGO_SINGLE = """<!doctype html><html lang="{{ .Language.Lang }}"><head><meta charset="utf-8">
<title>{{ .Title }}</title></head><body><main><h1>{{ .Title }}</h1>{{ .Content }}</main></body></html>
"""


def hugo_project(root, n):
    write(f"{root}/hugo.toml", 'baseURL = "https://example.invalid/"\ndefaultContentLanguage = "ja"\n'
          'disableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n'
          "[languages.ja]\nweight = 1\n[languages.en]\nweight = 2\n")
    write(f"{root}/layouts/_default/single.html", HUGO_SINGLE)
    write(f"{root}/layouts/_default/list.html", HUGO_SINGLE)
    write(f"{root}/layouts/index.html", HUGO_SINGLE)
    for i, lang, title, text in pages(n):
        write(f"{root}/content/bench/{key(i)}.{lang}.md", f'+++\ntitle = "{title}"\n+++\n'
              + links(text, lambda k: f"/{lang}/bench/{key(k)}/"))


def timed(cmd, cwd):
    """(wall s, user+sys CPU s, peak RSS KiB) of one run of cmd."""
    with tempfile.NamedTemporaryFile("r") as t:
        subprocess.run(["/usr/bin/time", "-f", "%e %U %S %M", "-o", t.name, *cmd], cwd=cwd,
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall, user, system, rss = t.read().split()[-4:]
    return float(wall), float(user) + float(system), int(rss)


def version(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True).stdout.split("\n")[0].strip()
    except OSError:
        return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, default=20000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--bin", default=os.path.join(os.path.dirname(__file__), "../target/release/tsunagu"))
    ap.add_argument("--dir", default=os.environ.get("BENCH_DIR", "/dev/shm/tsunagu-markdown"))
    a = ap.parse_args()
    shutil.rmtree(a.dir, ignore_errors=True)
    tsu = os.path.realpath(a.bin)
    rev = subprocess.run(["git", "-C", os.path.dirname(tsu), "describe", "--always", "--dirty"],
                         capture_output=True, text=True).stdout.strip()
    n = a.pages
    tsunagu_project(f"{a.dir}/tsunagu", n)
    cases = {}  # name -> (prepare, command, cwd)
    out = f"{a.dir}/tsunagu-site"

    def tsu_cold():
        # The output, its manifest and the parse cache: nothing left from a previous run.
        for path in (out, f"{a.dir}/.tsunagu-site.tsunagu-manifest", f"{a.dir}/.tsunagu-site.tsunagu-cache"):
            if os.path.isdir(path):
                shutil.rmtree(path)
            elif os.path.exists(path):
                os.remove(path)

    edits = iter(range(10**6))

    def tsu_edit():
        path = f"{a.dir}/tsunagu/content/bench/{key(0)}.ja.md"
        with open(path, "a", encoding="utf-8") as f:
            f.write(f"\n追記 {next(edits)}。\n")

    build = [tsu, "--root", f"{a.dir}/tsunagu", "build", "--out", out]
    label = f"tsunagu {rev}"
    cases[f"{label} | cold"] = (tsu_cold, build, a.dir)
    cases[f"{label} | no-change"] = (lambda: None, build, a.dir)
    cases[f"{label} | one-page edit"] = (tsu_edit, build, a.dir)
    zola = shutil.which("zola")
    if zola:
        zv = version([zola, "--version"])
        for minify in (True, False):
            root = f"{a.dir}/zola-{'min' if minify else 'plain'}"
            zola_project(root, n, minify)
            cases[f"{zv} ({'minified' if minify else 'not minified'}) | cold"] = (
                lambda r=root: shutil.rmtree(f"{r}/public", ignore_errors=True),
                [zola, "build"], root)
    hugo = shutil.which("hugo")
    if hugo:
        hv = " ".join(version([hugo, "version"]).split()[:2])
        root = f"{a.dir}/hugo"
        hugo_project(root, n)
        for minify in (True, False):
            cases[f"{hv} ({'minified' if minify else 'not minified'}) | cold"] = (
                lambda r=root: shutil.rmtree(f"{r}/public", ignore_errors=True),
                [hugo, "--quiet", *(["--minify"] if minify else [])], root)
    # One untimed warm-up per tool (file cache, first-run effects), then
    # interleaved runs. Each round starts one tool later, so no tool always
    # runs right after the same other one (after Hugo's build, which frees
    # ~1.4 GB, say); a tool's cases stay together and in order (a
    # no-change build follows a build).
    raw = {c: [] for c in cases}
    tools = []
    for c in cases:
        if tools and tools[-1][0].split(" | ")[0] == c.split(" | ")[0]:
            tools[-1].append(c)
        else:
            tools.append([c])
    for run in range(a.runs + 1):
        k = run % len(tools)
        for c in [c for tool in tools[k:] + tools[:k] for c in tool]:
            prepare, cmd, cwd = cases[c]
            prepare()
            result = timed(cmd, cwd)
            if run:
                raw[c].append(result)
    print(f"{n} SYNTHETIC Markdown pages ({n // 2} keys × ja/en), {a.runs} runs each, "
          f"medians; output in {a.dir}\n")
    print("| tool | build | wall | pages/s | CPU (user+sys) | peak RSS |")
    print("| --- | --- | --- | --- | --- | --- |")
    for c, runs in raw.items():
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        rss = statistics.median(r[2] for r in runs)
        rate = f"{n / wall:,.0f}" if c.endswith("cold") and wall else "–"
        print(f"| {c} | {wall:.2f} s | {rate} | {cpu:.2f} s | {rss / 1024:,.0f} MiB |")
    print("\nraw runs (wall s, CPU s, peak KiB):")
    for c, runs in raw.items():
        print(f"- {c}: " + "; ".join(f"{w:.2f} {u:.2f} {m}" for w, u, m in runs))


if __name__ == "__main__":
    sys.exit(main())
