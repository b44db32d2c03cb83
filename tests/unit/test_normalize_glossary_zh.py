"""English readings of Chinese organisation names (normalize.glossary_zh): the lists
carry Chinese companies under English names, with business words translated and the rest
in pinyin."""

from __future__ import annotations

import pytest

from stopship.match import Matcher, Query
from stopship.match.prepare import prepare, prepare_query
from stopship.model import Entity
from stopship.normalize.glossary_zh import chinese_readings
from tests.named import named


@pytest.mark.parametrize(
    ("name", "reading"),
    [
        # place + its "city" suffix dropped, a pinyin run, a business word, a legal form left out
        ("深圳市测广贸易有限公司", ("shenzhen", "ceguang", "trading")),
        # Traditional characters read as Simplified; a bracketed place; Latin kept
        ("測試電子(香港)有限公司", ("ceshi", "electronic", "hong", "kong")),
        ("ABC测试科技（深圳）有限公司", ("abc", "ceshi", "technology", "shenzhen")),
        # a longer glossary word wins over its first characters (进出口, not 进 + ...)
        (
            "大连测试机床进出口有限公司",
            ("dalian", "ceshi", "machine", "tool", "import", "and", "export"),
        ),
        # a run of other characters between two words is one pinyin word
        ("巨航航空科技有限公司", ("juhang", "aviation", "technology")),
    ],
)
def test_chinese_readings(name: str, reading: tuple[str, ...]) -> None:
    assert chinese_readings(name)[0] == reading


def test_hong_kong_is_also_read_hk() -> None:
    assert chinese_readings("香港測試實業有限公司")[:2] == (
        ("hong", "kong", "ceshi", "industrial"),
        ("hk", "ceshi", "industrial"),
    )


def test_the_other_words_are_also_read_syllable_by_syllable() -> None:
    # as many list names write them: 美欣電子 "Mei Xin Electronic"
    assert ("hong", "kong", "ce", "shi", "industrial") in chinese_readings("香港測試實業有限公司")
    assert ("mei", "xin", "electronic") in chinese_readings("美欣電子有限公司")


def test_a_city_the_gazetteer_lacks_ends_at_its_suffix() -> None:
    # 测城 is no place in the gazetteer; 市 ("city") after it still ends the place name
    assert chinese_readings("测城市海润动力科技有限公司")[0] == (
        "cecheng",
        "hairun",
        "power",
        "technology",
    )


@pytest.mark.parametrize("name", ["李晓翠", "测试", "Latin Only Ltd", ""])
def test_no_reading_without_a_glossary_word_or_place(name: str) -> None:
    assert chinese_readings(name) == ()


def test_the_reading_is_an_extra_spelling_of_the_query() -> None:
    name = "深圳市测广贸易有限公司"
    q = prepare_query(name)
    assert q.variants[0] == prepare(name).variants[0]  # the name as written stays first
    assert ("shenzhen", "ceguang", "trading") in q.variants


def test_chinese_name_meets_the_english_list_name() -> None:
    m = Matcher.build(
        [
            _org("cg", "Shenzhen Ceguang Trading Co. Ltd"),
            _org("yz", "Yangzhou Ceshi Electronic Technology Co., Ltd."),
            _org("other", "Shenzhen Other Trading Co. Ltd"),
        ],
        versions={"t": 1},
    )
    r = m.match(Query(name="深圳市测广贸易有限公司"))
    assert r.hits and r.hits[0].entity_id == "t:cg" and r.hits[0].alert
    r = m.match(Query(name="揚州測試電子科技股份有限公司"))  # Traditional characters
    assert r.hits and r.hits[0].entity_id == "t:yz" and r.hits[0].alert
    # the shared place and business word alone do not make a match
    assert not any(
        h.alert and h.entity_id == "t:other"
        for h in m.match(Query(name="深圳市测广贸易有限公司")).hits
    )


def _org(rid: str, name: str) -> Entity:
    return named(rid, name, "organization")


def test_chang_where_a_name_begins_and_each_reading_word_once() -> None:
    from stopship.normalize.translit import han_pinyin

    # 长 begins a name as "chang" (ICU: zhang); elsewhere ICU's reading stays
    assert han_pinyin("长光卫星") == "changguangweixing"
    assert han_pinyin("长城") == "changcheng"
    assert han_pinyin("部长") == "buzhang"
    got = prepare_query("长光卫星技术股份有限公司 (长光卫星)")
    assert ("changguang", "satellite", "technology") in got.variants, got.variants


def test_a_word_is_also_read_in_its_alternate_english() -> None:
    # 科技 is "technology" in one list and "science and technology" in another
    got = chinese_readings("武汉测睿科技有限责任公司")
    assert ("wuhan", "cerui", "technology") in got, got
    assert ("wuhan", "cerui", "science", "and", "technology") in got, got
    # 石油 is "petroleum" in one list and "oil" in another ("Chinaoil (Hong Kong)")
    got = chinese_readings("中国石油(香港)有限公司")
    assert ("china", "petroleum", "hong", "kong") in got and ("china", "oil", "hong", "kong") in got
    # no alternate reading for a name without such a word
    assert not any("science" in r for r in chinese_readings("深圳市测广贸易有限公司"))


def test_a_limited_company_meets_its_english_and_pinyin_names() -> None:
    m = Matcher.build(
        [
            _org("kj", "WUHAN CERUI SCIENCE AND TECHNOLOGY COMPANY LIMITED"),
            _org("py", "SHENZHEN CE LI GAOKE YOUXIAN GONGSI"),
            _org("x1", "WUHAN OTHER SCIENCE AND TECHNOLOGY COMPANY LIMITED"),
            _org("x2", "SHENZHEN OTHER GAOKE YOUXIAN GONGSI"),
        ],
        versions={"t": 1},
    )
    # 有限责任公司 is a limited liability company, which the list writes "Company Limited"
    r = m.match(Query(name="武汉测睿科技有限责任公司"))
    assert r.hits and r.hits[0].entity_id == "t:kj" and r.hits[0].alert, r.hits[:2]
    legal = next(f for f in r.hits[0].explanation.features if f.name == "legal_form")
    assert legal.value == 1.0, legal
    # "youxian gongsi" is the pinyin of 有限公司: a legal form, not words of the name
    r = m.match(Query(name="深圳策力高科有限公司"))
    assert r.hits and r.hits[0].entity_id == "t:py" and r.hits[0].alert, r.hits[:2]
