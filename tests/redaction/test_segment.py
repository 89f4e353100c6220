"""The fast segmenter gives the Python jieba's tokens, and the compact dictionary its frequencies."""

from __future__ import annotations

import logging
import random

import pytest

from gongshi.demo.corpus import generate
from gongshi.redaction import segment

jieba = pytest.importorskip("jieba")

_HARD = [
    "联系电话400-202-7466，邮箱abc_12@qq.com，网址www.sina.cn---见附件",
    "含量3.5%，超标50.5%，版本3.5.6，ＡＢＣ１２３与B超、T恤\r\n第二行\t制表 两个  空格",
    "执法人员向当事人王建国（男，1990年生）出示执法证件，买买提·艾力称其于当晚到店。",
]


@pytest.fixture(scope="module")
def reference() -> object:
    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    return tok


def test_tokens_match_python_jieba(reference: object) -> None:
    texts = list(_HARD)
    for case in generate(40, 7):
        i = case.intake
        texts += [t for t in (i.title, i.facts, i.legal_basis, i.result, i.full_text) if t]
    for text in texts:
        assert segment.tokens(text) == list(reference.tokenize(text, HMM=True))  # type: ignore[attr-defined]


def test_frequencies_and_person_tags_match_the_dictionary(reference: object) -> None:
    freq = reference.FREQ  # type: ignore[attr-defined]
    words = [*random.Random(3).sample(sorted(freq), 3000), "王建国", "许可证", "当事人", "不存在的词语"]

    with open(jieba.get_dict_file().name, encoding="utf-8") as f:
        person = {line.split(" ", 1)[0] for line in f if line.endswith(" nr\n")}
    for word in words:
        assert segment.word_freq(word) == int(freq.get(word) or 0), word
        assert segment.is_person_word(word) == (word in person), word
