"""Benchmark the embedded search engine: full reindex time, index size, and query latency.

Run: .venv/bin/python bench/search_bench.py --docs 1000000 --dir /tmp/gongshi-bench
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import os
import pstats
import random
import shutil
import statistics
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from gongshi.search import IntRange, SearchDocument, SearchQuery, open_engine
from gongshi.search.base import KINDS

# A few thousand common characters, so names, streets and goods vary as much as in real records.
COMMON = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学"
    "法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天"
    "政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者"
    "最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期"
    "根论运农指几九区强放决西被干做必战先回则任取据处理府研质信记红海林江河湖桥村镇街巷园苑城东南北华兴盛昌隆泰丰源鑫恒达"
)
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯"
    "邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜"
)
CITIES = [
    "合肥",
    "芜湖",
    "蚌埠",
    "淮南",
    "马鞍山",
    "淮北",
    "铜陵",
    "安庆",
    "黄山",
    "滁州",
    "阜阳",
    "宿州",
    "六安",
    "亳州",
]
INDUSTRIES = [
    "商贸",
    "餐饮",
    "建材",
    "科技",
    "食品",
    "医药",
    "物流",
    "建筑",
    "环保",
    "电子",
    "汽车维修",
    "农业",
]
SUFFIXES = ["有限公司", "有限责任公司", "股份有限公司", "经营部", "便利店", "加工厂", "门市部"]
GOODS = [
    "过期食品",
    "不合格电线",
    "假冒白酒",
    "无标签食用油",
    "过期药品",
    "三无化妆品",
    "劣质钢材",
    "假冒运动鞋",
]
VIOLATIONS = [
    "在未取得{lic}的情况下擅自从事经营活动",
    "销售{goods}共计{n}件，货值金额{amount}元",
    "未按规定建立进货查验记录制度，销售{goods}",
    "在{place}违规排放污水，化学需氧量超标{n}倍",
    "未按规定公示营业执照，且拒不改正",
    "使用超过检验有效期的特种设备{n}台",
    "发布虚假广告，宣称产品具有{claim}功效",
    "占用{place}人行道堆放建筑材料约{n}平方米",
    "未经批准擅自占用林地{n}亩进行建设",
    "超过核定载质量{n}%运输货物",
]
LAWS = [
    ("《中华人民共和国食品安全法》", "第一百二十四条"),
    ("《中华人民共和国产品质量法》", "第四十九条"),
    ("《中华人民共和国广告法》", "第五十五条"),
    ("《中华人民共和国水污染防治法》", "第八十三条"),
    ("《中华人民共和国特种设备安全法》", "第八十四条"),
    ("《城市市容和环境卫生管理条例》", "第三十六条"),
    ("《中华人民共和国森林法》", "第七十三条"),
    ("《中华人民共和国道路交通安全法》", "第九十二条"),
    ("《安徽省市场监督管理行政处罚裁量权基准》", "第十二条"),
    ("《无证无照经营查处办法》", "第十三条"),
]
LICENSES = ["食品经营许可证", "药品经营许可证", "排污许可证", "建设工程规划许可证", "道路运输经营许可证"]
CLAIMS = ["治疗糖尿病", "防癌抗癌", "美白祛斑", "增强免疫力"]
RESULTS = [
    "决定给予警告，并处罚款{amount}元。",
    "决定没收违法所得{amount}元，并处罚款{amount2}元。",
    "责令立即停止违法行为，限期{n}日内改正。",
    "决定没收{goods}{n}件，并处货值金额{n2}倍罚款。",
    "决定暂扣许可证件{n}个月。",
]
CATEGORIES = ["warning", "fine", "confiscation", "suspension", "revocation", "detention", "other"]
KIND_WEIGHTS = [3, 10, 2, 4, 1, 1, 1]


class Corpus:
    """Deterministic synthetic disclosures; fast enough to generate a million in about a minute."""

    def __init__(self, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        rng = self.rng
        self.regions = [f"34{city:02d}{county:02d}" for city in range(1, 18) for county in range(0, 40)]
        self.agencies: list[tuple[str, str, str]] = []
        for i in range(400):
            city = CITIES[i % len(CITIES)]
            unit = rng.choice(
                [
                    "市场监督管理局",
                    "生态环境局",
                    "城市管理行政执法局",
                    "交通运输局",
                    "林业局",
                    "卫生健康委员会",
                ]
            )
            self.agencies.append(
                (
                    f"AG{i:04d}",
                    f"{city}市{rng.choice(['', '蜀山区', '包河区', '镜湖区', '经开区'])}{unit}",
                    rng.choice(self.regions),
                )
            )
        self.streets = [
            "".join(rng.choices(COMMON, k=2)) + rng.choice(["路", "街", "大道", "巷"]) for _ in range(3000)
        ]
        # Free text is drawn from a Zipf-distributed vocabulary of 2–4 character words, like real prose;
        # uniformly random characters would overstate distinct bigrams and understate compression.
        self.words = ["".join(rng.choices(COMMON, k=rng.choice((2, 2, 2, 3, 4)))) for _ in range(8000)]
        weights = [1 / (rank + 1) for rank in range(len(self.words))]
        self.cum_weights: list[float] = []
        total = 0.0
        for w in weights:
            total += w
            self.cum_weights.append(total)

    def _person(self) -> str:
        return self.rng.choice(SURNAMES) + "".join(self.rng.choices(COMMON, k=self.rng.choice((1, 2))))

    def _company(self) -> str:
        rng = self.rng
        return (
            rng.choice(CITIES)
            + "".join(rng.choices(COMMON, k=2))
            + rng.choice(INDUSTRIES)
            + rng.choice(SUFFIXES)
        )

    def _fill(self, template: str) -> str:
        rng = self.rng
        return template.format(
            lic=rng.choice(LICENSES),
            goods=rng.choice(GOODS),
            n=rng.randint(2, 300),
            n2=rng.randint(1, 5),
            amount=rng.randint(1, 500) * 100,
            amount2=rng.randint(1, 900) * 100,
            place=rng.choice(CITIES) + "市" + rng.choice(self.streets) + f"{rng.randint(1, 999)}号",
            claim=rng.choice(CLAIMS),
        )

    def doc(self, i: int) -> SearchDocument:
        rng = self.rng
        code, agency_name, region = rng.choice(self.agencies)
        kind = rng.choices(KINDS, weights=KIND_WEIGHTS)[0]
        year = rng.randint(2019, 2026)
        decided_on = year * 10000 + rng.randint(1, 12) * 100 + rng.randint(1, 28)
        party = self._company() if rng.random() < 0.7 else self._person()
        credit = "9134" + "".join(rng.choices("0123456789ABCDEFGHJKLMNPQRTUWXY", k=14))
        number = (
            f"{agency_name[:2]}{rng.choice(['市监', '环', '城管', '交'])}罚〔{year}〕{rng.randint(1, 3000)}号"
        )
        target = rng.randint(300, 800)
        parts = [
            f"当事人{party}（统一社会信用代码：{credit}），住所地{rng.choice(CITIES)}市"
            f"{rng.choice(self.streets)}{rng.randint(1, 999)}号。"
            f"{year}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日，"
            f"本机关执法人员在{self._fill('{place}')}依法检查时发现，"
        ]
        length = len(parts[0])
        while length < target - 120:
            sentence = (
                "当事人"
                + self._fill(rng.choice(VIOLATIONS))
                + "。经查，"
                + "".join(rng.choices(self.words, cum_weights=self.cum_weights, k=rng.randint(4, 14)))
                + "，以上事实有现场检查笔录、询问笔录、"
                + rng.choice(["照片", "视频", "检验报告", "进货单据"])
                + "等证据证明。"
            )
            parts.append(sentence)
            length += len(sentence)
        law, article = rng.choice(LAWS)
        parts.append(f"当事人的上述行为违反了{law}{article}的规定。依据{law}{article}，")
        parts.append(self._fill(rng.choice(RESULTS)))
        body = "".join(parts)[: target + 60]
        cats = (
            sorted(set(rng.sample(CATEGORIES, k=rng.choice((0, 1, 1, 2, 2, 3))))) if kind == "penalty" else []
        )
        title = f"{party}{rng.choice(['行政处罚决定书', '责令改正通知书', '行政许可决定书', '检查结果公示'])}"
        return SearchDocument(
            id=f"{rng.getrandbits(64):016x}",
            title=title,
            agency_code=code,
            agency_name=agency_name,
            kind=kind,
            region=region if rng.random() > 0.05 else "",
            decided_on=decided_on,
            published_at=1546300800 + i,
            penalty_categories=cats,
            party_name=party,
            document_number=number,
            body=body,
        )

    def docs(self, n: int) -> Iterator[SearchDocument]:
        for i in range(n):
            yield self.doc(i)


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--dir", default="/tmp/gongshi-search-bench")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--skip-index", action="store_true", help="reuse an index built by an earlier run")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--cases", default="", help="only run query cases whose name contains this")
    parser.add_argument(
        "--one-core",
        action="store_true",
        help="also time the filtered cases with the facet pass on the calling thread (one core per query)",
    )
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")
    index_dir = Path(args.dir)
    corpus = Corpus()

    if not args.skip_index:
        if index_dir.exists():
            shutil.rmtree(index_dir)
        start = time.perf_counter()
        sample = list(corpus.docs(min(args.docs, 20_000)))
        gen_rate = len(sample) / (time.perf_counter() - start)
        avg_body = statistics.mean(len(d.body) for d in sample)
        print(f"generation: {gen_rate:,.0f} docs/s; mean body {avg_body:.0f} chars")
        corpus = Corpus()
        writer = open_engine(index_dir=str(index_dir), meili_url=None, meili_key=None, writer=True)
        writer.configure()
        start = time.perf_counter()
        cpu_start = time.process_time()
        count = writer.reindex(corpus.docs(args.docs))
        indexed = time.perf_counter() - start
        writer.close()  # waits for merges, so the size below is the settled size
        settled = time.perf_counter() - start
        cpu = time.process_time() - cpu_start
        size = dir_size(index_dir)
        print(
            f"reindex: {count:,} docs in {indexed:.0f} s (settled after merges: {settled:.0f} s), "
            f"incl. generation ~{count / gen_rate:.0f} s; CPU time of all threads {cpu:.0f} s"
        )
        print(f"index size: {size / 1e6:,.0f} MB = {size / count:,.0f} bytes/doc")
        by_ext: dict[str, int] = {}
        for f in index_dir.iterdir():
            by_ext[f.suffix or f.name] = by_ext.get(f.suffix or f.name, 0) + f.stat().st_size
        print("  by file type:", {k: f"{v / count:.0f} B/doc" for k, v in sorted(by_ext.items())})
        del sample
        gc.collect()

    reader = open_engine(index_dir=str(index_dir), meili_url=None, meili_key=None, writer=False)
    reader.configure()
    segments = (
        reader._require_state().index.searcher().num_segments if hasattr(reader, "_require_state") else "?"
    )
    print(f"reader sees {reader.count():,} docs in {segments} segments")
    rng = random.Random(11)
    sample_docs = list(Corpus(seed=7).docs(2_000))
    two = [d.body[j : j + 2] for d in sample_docs for j in [rng.randrange(len(d.body) - 2)]]
    four = [d.body[j : j + 4] for d in sample_docs for j in [rng.randrange(len(d.body) - 4)]]
    one = [d.body[rng.randrange(len(d.body))] for d in sample_docs]
    all_facets = ["agency_code", "kind", "region", "penalty_categories"]

    def two_filters(text: str, i: int) -> SearchQuery:
        doc = sample_docs[i % len(sample_docs)]
        year = doc.decided_on // 10000
        return SearchQuery(
            text=text,
            equals={"kind": doc.kind} if i % 2 else {"agency_code": doc.agency_code},
            ranges={"decided_on": IntRange(gte=year * 10000 + 101, lte=year * 10000 + 1231)},
            facets=all_facets,
        )

    cases: dict[str, list[SearchQuery]] = {
        "2-char + 2 filters + 4 facets": [two_filters(t, i) for i, t in enumerate(two)],
        "4-char + 2 filters + 4 facets": [two_filters(t, i) for i, t in enumerate(four)],
        "2-char, no filter, 4 facets": [SearchQuery(text=t, facets=all_facets) for t in two],
        "4-char, no filter, 4 facets": [SearchQuery(text=t, facets=all_facets) for t in four],
        "1-char, no filter, 4 facets": [SearchQuery(text=t, facets=all_facets) for t in one],
        "4-char newest, no facets": [SearchQuery(text=t, sort="newest") for t in four],
        "browse (empty) + 4 facets": [SearchQuery(facets=all_facets, page=1 + i % 5) for i in range(50)],
        "2-char + 2 filters, no facets": [
            SearchQuery(text=q.text, equals=q.equals, ranges=q.ranges)
            for q in (two_filters(t, i) for i, t in enumerate(two))
        ],
    }
    if args.one_core:
        for name in ("2-char + 2 filters + 4 facets", "4-char + 2 filters + 4 facets"):
            cases[f"{name} (1 core)"] = cases[name]
    for name, queries in cases.items():
        if args.cases not in name:
            continue
        queries = queries[: args.queries]
        if hasattr(reader, "parallel_facets"):
            reader.parallel_facets = not name.endswith("(1 core)")
        for q in queries[:10]:
            reader.search(q)  # warm the page cache and lazy structures
        latencies: list[float] = []
        cpu_times: list[float] = []
        totals: list[int] = []
        for q in queries:
            start = time.perf_counter()
            cpu_start = time.process_time()
            result = reader.search(q)
            cpu_times.append((time.process_time() - cpu_start) * 1000)
            latencies.append((time.perf_counter() - start) * 1000)
            totals.append(result.total)
        # CPU time (all threads of this process) is what a query costs on an otherwise idle machine;
        # on a loaded one the wall-clock latency also includes waiting for a core.
        print(
            f"{name:36s} n={len(queries):4d}  p50 {percentile(latencies, 50):6.1f} ms  "
            f"p95 {percentile(latencies, 95):6.1f} ms  p99 {percentile(latencies, 99):6.1f} ms  "
            f"max {max(latencies):6.1f} ms  | CPU p50 {percentile(cpu_times, 50):6.1f} "
            f"p95 {percentile(cpu_times, 95):6.1f} ms  | median hits {statistics.median(totals):,.0f}"
        )
    if args.profile:
        queries = cases["2-char + 2 filters + 4 facets"][:200]
        profiler = cProfile.Profile()
        profiler.enable()
        for q in queries:
            reader.search(q)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(18)
    reader.close()
    print(f"load average at end: {os.getloadavg()[0]:.1f}")
    print(f"rss peak: {_peak_rss_mb():.0f} MB")


def _peak_rss_mb() -> float:
    try:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    except ImportError:  # pragma: no cover
        return float("nan")


if __name__ == "__main__":
    os.environ.setdefault("RUST_BACKTRACE", "0")
    main()
