"""Decision documents in: text from .docx and text PDFs, fields found, scanned PDFs refused clearly."""

from __future__ import annotations

import io
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from gongshi.core.context import Workflow
from gongshi.credit.documents import extract, extract_file
from gongshi.credit.numerals import chinese_amount, parse_chinese_date
from gongshi.errors import Unprocessable
from tests.credit.helpers import AGENCY
from tests.factories import token

DATA = Path(__file__).resolve().parents[1] / "data" / "decisions"
EXPECTED = {e["id"]: e for e in json.loads((DATA / "expected.json").read_text(encoding="utf-8"))}


def test_chinese_dates_and_amounts() -> None:
    assert parse_chinese_date("二〇二六年三月五日") == date(2026, 3, 5)
    assert parse_chinese_date("二〇二四年十月十五日") == date(2024, 10, 15)
    assert parse_chinese_date("二○二三年十二月三十一日") == date(2023, 12, 31)
    assert parse_chinese_date("2026年3月5日") == date(2026, 3, 5)
    assert chinese_amount("伍万贰仟壹佰贰拾") == 52120
    assert chinese_amount("壹万") == 10000
    assert chinese_amount("贰仟叁佰捌拾贰") == 2382


@pytest.mark.parametrize("ext", ["docx", "pdf"])
def test_fields_of_a_real_decision(ext: str) -> None:
    exp = EXPECTED["a-mr-ah-0001"]
    path = DATA / f"a-mr-ah-0001.{ext}"
    got = extract_file(path.read_bytes(), path.name).intake
    assert got["document_number"] == exp["document_number"]
    assert got["title"] == exp["title"]
    assert got["decided_on"] == exp["decided_on"]
    assert got["agency"]["name"] == exp["agency"]
    assert got["party"]["name"] == exp["party_name"]
    assert got["party"]["id_number"] == exp["party_id"]
    assert got["party"]["address"] == exp["party_address"]
    assert got["party"]["legal_representative"] == exp["legal_representative"]
    assert got["party"]["kind"] == "individual_business"  # a 92… credit code
    assert got["kind"] == "penalty"
    assert "印章" in got["full_text"] and got["facts"]


def test_accuracy_on_the_development_pool() -> None:
    """A regression guard on the documents the rules were written against: the dev set and the
    first held-out set (measured once, then read, so development data now). bench/extract_eval.py
    reports the second held-out set (heldout2/), which no rule or test may be tuned to."""
    import sys

    sys.path.insert(0, str(DATA.parents[2] / "bench"))
    from extract_eval import score

    for data, floor in ((DATA, 0.98), (DATA / "heldout", 0.98)):
        right, total, _, count = score(data)
        assert count >= 30
        assert sum(right.values()) / sum(total.values()) >= floor, data.name


def test_the_held_out_sets_are_built_labelled_and_disjoint() -> None:
    import sys

    heldout = json.loads((DATA / "heldout" / "expected.json").read_text(encoding="utf-8"))
    fresh = json.loads((DATA / "heldout2" / "expected.json").read_text(encoding="utf-8"))
    assert len(heldout) >= 30 and len(fresh) >= 30
    assert not {e["id"] for e in heldout} & set(EXPECTED)  # no document in two sets
    for where, expected in (("heldout", heldout), ("heldout2", fresh)):
        for e in expected:
            assert (DATA / where / f"{e['id']}.docx").exists() and (DATA / where / f"{e['id']}.pdf").exists()
    # heldout2 comes from pages neither the dev set nor the first held-out set was built from, and
    # a rebuild of those two sets from the corpus leaves its pages out.
    corpus = DATA.parents[2] / "bench" / "data" / "real"
    built_from = {
        json.loads((corpus / "src" / f"{i}.json").read_text(encoding="utf-8"))["source_url"]
        for i in [*EXPECTED, *(e["id"] for e in heldout)]
    }
    sources = [json.loads(f.read_text(encoding="utf-8")) for f in (DATA / "heldout2" / "src").glob("*.json")]
    assert len(sources) == len(fresh) and not {s["source_url"] for s in sources} & built_from
    sys.path.insert(0, str(DATA))
    from make_documents import heldout2_sources, select

    assert heldout2_sources() == {s["source_url"] for s in sources}
    for part in ("dev", "test"):
        assert not {d["source_url"] for d in select(corpus / "corpus.jsonl", part)} & heldout2_sources()
    names = {e["party_name"] for e in [*heldout, *EXPECTED.values()]}
    assert not {e["party_name"] for e in fresh} & names
    labels = json.loads((DATA / "heldout2" / "labels.json").read_text(encoding="utf-8"))["labels"]
    assert set(labels) == {e["id"] for e in fresh}


DECISION = """株洲市文化市场综合行政执法支队
行政处罚决定书
株文执罚〔2026〕12号
当事人：株洲某某网络科技有限公司
统一社会信用代码：91430211MA4T12340D
法定代表人：刘晓峰
住所：湖南省株洲市天元区嵩山路街道庐山路333号
经查，当事人于2026年1月5日接纳未成年人进入营业场所。
以上事实有现场检查笔录等证据证明。
当事人的行为违反了《互联网上网服务营业场所管理条例》第二十一条的规定。依据《互联网上网服务营业场所管理条例》第三十一条第（二）项的规定，本机关决定作出如下行政处罚：
1.警告；
2.罚款人民币伍万贰仟壹佰贰拾元；
3.没收违法所得289元。
如不服本处罚决定，可在收到本决定书之日起六十日内依法申请行政复议。
株洲市文化市场综合行政执法支队
二〇二六年三月五日
（印章）"""


def _docx(text: str) -> bytes:
    d = Document()
    for line in text.splitlines():
        d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_decision_section_amounts_and_categories() -> None:
    got = extract(DECISION).intake
    assert got["penalty"] == {
        "categories": ["confiscation", "fine", "warning"],
        "fine_yuan": "52120",
        "confiscated_yuan": "289",
    }
    assert got["decided_on"] == "2026-03-05"
    assert got["party"]["id_number"] == "91430211MA4T12340D" and got["party"]["kind"] == "legal_person"
    assert "第二十一条" in got["legal_basis"] and "第三十一条" in got["legal_basis"]
    assert got["result"].startswith("1.警告")
    assert got["facts"].startswith("经查")
    # A statute quoted in the facts ("处十万元以下的罚款") is not the decision.
    quoted = DECISION.replace("经查，", "经查（该条规定处十万元以下的罚款），")
    assert extract(quoted).intake["penalty"]["fine_yuan"] == "52120"


def test_scanned_pdf_gets_a_clear_message() -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.rect(50, 50, 400, 600, fill=1)  # a page that is only a picture
    c.showPage()
    c.save()
    with pytest.raises(Unprocessable) as caught:
        extract_file(buf.getvalue(), "scan.pdf")
    assert caught.value.code == "no_text_layer" and "扫描件" in caught.value.message


def test_api_extract_then_post_as_intake(client: Any, wf: Workflow) -> None:
    headers = token(wf, "submitter", AGENCY)
    resp = client.post(
        "/api/v1/documents:extract", files={"file": ("决定书.docx", _docx(DECISION))}, headers=headers
    )
    assert resp.status_code == 200, resp.text
    body = resp.json()
    intake = body["intake"]
    assert intake["agency"] == AGENCY  # the caller's agency
    assert any("不一致" in w for w in body["warnings"])  # the document is signed by another agency
    assert intake["document_number"] == "株文执罚〔2026〕12号"
    posted = client.post("/api/v1/decisions", json=intake, headers=headers)
    assert posted.status_code == 201, posted.text
    scanned = client.post(
        "/api/v1/documents:extract", files={"file": ("x.doc", b"\xd0\xcf\x11\xe0")}, headers=headers
    )
    assert scanned.status_code == 400 and ".docx" in scanned.json()["error"]["message"]


def test_console_confirm_form_submits_a_normal_intake(client: Any, wf: Workflow) -> None:
    from tests.credit.test_status_board import _login

    token(wf, "submitter", AGENCY)
    _login(client, wf, "submitter")
    page = client.get("/console/documents").text
    csrf = re.search(r'name="_csrf_token" value="([^"]+)"', page)
    assert csrf
    form = client.post(
        "/console/documents",
        files={"file": ("决定书.docx", _docx(DECISION))},
        data={"_csrf_token": csrf.group(1)},
    ).text
    assert 'value="株文执罚〔2026〕12号"' in form and "刘晓峰" in form
    fields = dict(re.findall(r'<input name="([a-z_]+)" value="([^"]*)"', form))
    fields.update(re.findall(r'<input type="(?:hidden|date)" name="([a-z_]+)" value="([^"]*)"', form))
    textareas = dict(re.findall(r'<textarea name="([a-z_]+)"[^>]*>(.*?)</textarea>', form, re.S))
    import html

    data: dict[str, Any] = {k: html.unescape(v) for k, v in {**fields, **textareas}.items()}
    data.update(kind="penalty", party_kind="legal_person", party_id_type="uscc", _csrf_token=csrf.group(1))
    data["categories"] = ["warning", "fine"]
    resp = client.post("/console/documents/submit", data=data, follow_redirects=False)
    assert resp.status_code in (302, 303), resp.text
    decision = client.get(resp.headers["location"]).text
    assert "株文执罚〔2026〕12号" in decision


def _block(party_lines: str) -> dict[str, Any]:
    """The party found in a decision whose party block is `party_lines`."""
    text = DECISION.replace(
        "当事人：株洲某某网络科技有限公司\n统一社会信用代码：91430211MA4T12340D\n法定代表人：刘晓峰\n"
        "住所：湖南省株洲市天元区嵩山路街道庐山路333号\n",
        party_lines.strip() + "\n",
    )
    party: dict[str, Any] = extract(text).intake["party"]
    return party


def test_party_block_variants_seen_in_published_decisions() -> None:
    # A bare name line above the fields, no label.
    p = _block(
        "洛阳某某废旧物资回收有限公司\n统一社会信用代码：91430211MA4T12340D\n地址：洛阳市偃师区山化镇101号"
    )
    assert p["name"] == "洛阳某某废旧物资回收有限公司" and p["address"] == "洛阳市偃师区山化镇101号"
    # A role in brackets after the name is not part of it; a bare name in brackets is the
    # registered name of an individual business (the dev labels keep it).
    assert _block("游某峰（养猪场租户）：\n身份证号：441410197111280340")["name"] == "游某峰"
    assert _block("当事人：某某电子商务店（雷某玉）\n统一社会信用代码：92120113MA82FU2D6U")["name"] == (
        "某某电子商务店（雷某玉）"
    )
    # The name ends at a space when the text follows on the same line; an inline party sentence.
    assert _block("当事人：张某利 你未经依法批准，于2015年擅自占用土地建设房屋。")["name"] == "张某利"
    p = _block("当事人甄某鑫，性别：女，身份证号：43110319790608152X，住址：湖南省新田县龙泉镇丰收街272号")
    assert p["name"] == "甄某鑫" and p["id_number"] == "43110319790608152X"
    assert p["address"] == "湖南省新田县龙泉镇丰收街272号"


def test_party_identifiers_full_width_spaced_and_registration_numbers() -> None:
    p = _block(
        "被处罚人姓名：尤某玉\n身份证号码：４３０２１３２００２０３１５５６９４\n现住址：炎陵县霞阳镇西湖村1组4号"
    )
    assert p["id_number"] == "430213200203155694" and p["id_type"] == "resident_id"
    assert _block("当事人：王某\n身份证号码：430213 20020315 5694")["id_number"] == "430213200203155694"
    p = _block("当事人：德某中医诊所\n主体资格证照名称：医疗机构执业许可证\n登记号：PDY00508043090217D2122")
    assert p["id_number"] == "PDY00508043090217D2122" and p["id_type"] == "other"
    # A company's block lists its manager's ID: that is not the party's identifier.
    p = _block(
        "当事人：某某药业连锁有限责任公司某某药店\n统一社会信用代码：*\n企业负责人：梁某琳\n"
        "身份证号码：450815198311114338"
    )
    assert "id_number" not in p and p["legal_representative"] == "梁某琳"


def test_party_addresses_and_representatives_under_other_labels() -> None:
    p = _block(
        "当事人名称或姓名：济南某某教育咨询有限公司\n当事人地址或住址：济南市历下区解放路23号一幢2楼21室\n"
        "当事人法定代表人或主要负责人姓名及联系方式：南宫某13166904371。"
    )
    assert p["address"] == "济南市历下区解放路23号一幢2楼21室" and p["legal_representative"] == "南宫某"
    assert _block("当事人：某某超市\n住所（住址）：经营场所：新疆塔城市生产南街120号")["address"] == (
        "新疆塔城市生产南街120号"
    )
    assert (
        _block(
            "当事人：桑某萍，性别：男\n身份证住所：湖南省石门县富民街354号。现住所：桃江县武潭镇中山巷173号。"
        )["address"]
        == "湖南省石门县富民街354号"
    )
    # 联系地址 only when the block gives no other address, and not when that address is masked.
    assert _block("当事人：某某粮食收购点\n联系地址：五河县东刘集镇金寨路352号")["address"] == (
        "五河县东刘集镇金寨路352号"
    )
    assert "address" not in _block(
        "当事人：某某综合商店\n住所（住址）：塔城市**\n联系地址：塔城市太湖巷376号"
    )


def test_document_number_printed_with_inner_spaces() -> None:
    text = DECISION.replace("株文执罚〔2026〕12号", "塔市市监 处罚〔2022〕 33 号")
    assert extract(text).intake["document_number"] == "塔市市监 处罚〔2022〕 33 号"


def _pdf(paragraphs: list[str], indent: int = 24) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle(
        "b", fontName="STSong-Light", fontSize=12, leading=20, wordWrap="CJK", firstLineIndent=indent
    )
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4).build([Paragraph(p, style) for p in paragraphs])
    return buf.getvalue()


def test_pdf_lines_are_joined_back_into_paragraphs_by_their_position() -> None:
    from gongshi.credit.doctext import text_of_pdf

    wrapped = (
        "住所（住址）：经营场所：新疆塔城地区塔城市生产南街（书香满苑二期2幢1-1层120号，二楼东侧第三间商铺）"
    )
    # A paragraph that ends close to the right margin must not run into the next (indented) one.
    near_full = "被处罚人：宁某学 性别：男 年龄：五十岁 身份证号：331130196511061699 民族：汉族 职业：农民"
    lines = text_of_pdf(_pdf([wrapped, near_full, "家庭住址：浙江省龙泉市新集乡柳树村3组64号"])).splitlines()
    assert len(lines) == 3 and lines[0] == wrapped
    assert lines[1].replace(" ", "") == near_full.replace(" ", "")
    assert lines[2] == "家庭住址：浙江省龙泉市新集乡柳树村3组64号"
