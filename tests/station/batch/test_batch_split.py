from station.batch.split import PageFacts, SplitMode, plan
from station.output.doctype import DEFAULT_DOC_TYPE, slug


def pages(*specs: str, source: str = "a.pdf") -> list[PageFacts]:
    """Compact page specs: 'p' plain, 'b' blank, 's' / 's:TYPE' separator, 'c:CODE' dossier code, 'u' unreadable,
    '@file' switches the source for the following pages."""
    out: list[PageFacts] = []
    counter: dict[str, int] = {}
    for spec in specs:
        if spec.startswith("@"):
            source = spec[1:]
            continue
        counter[source] = counter.get(source, 0) + 1
        n = counter[source]
        kind, _, arg = spec.partition(":")
        out.append(
            PageFacts(
                source=source,
                page=n,
                blank=kind == "b",
                separator=kind == "s",
                separator_doc_type=arg or None if kind == "s" else None,
                dossier_code=arg if kind == "c" else None,
                unreadable=kind == "u",
            )
        )
    return out


def test_separators_split_documents_and_name_them() -> None:
    result = plan(pages("p", "p", "s:DON", "p", "s", "p", "p"))
    assert len(result) == 1
    docs = result[0].documents
    expected = [(DEFAULT_DOC_TYPE, (0, 1)), ("DON", (3,)), (DEFAULT_DOC_TYPE, (5, 6))]
    assert [(d.doc_type, d.pages) for d in docs] == expected
    assert [(e.page, e.reason) for e in result[0].excluded] == [(3, "separator"), (5, "separator")]


def test_leading_separator_gives_no_empty_document() -> None:
    result = plan(pages("s:CCCD", "p", "s:DON", "s:HOP-DONG", "p"))
    assert [(d.doc_type, d.pages) for d in result[0].documents] == [("CCCD", (1,)), ("HOP-DONG", (4,))]


def test_new_dossier_code_starts_dossier_with_receipt_as_first_page() -> None:
    code_a, code_b = "000.00.01.H22-250702-0013", "000.00.01.H22-250702-0014"
    result = plan(pages(f"c:{code_a}", "p", "s:DON", "p", f"c:{code_b}", "p", "s:CCCD", "p"))
    assert [d.dossier_code for d in result] == [code_a, code_b]
    assert [(d.doc_type, d.pages) for d in result[0].documents] == [(DEFAULT_DOC_TYPE, (0, 1)), ("DON", (3,))]
    assert [(d.doc_type, d.pages) for d in result[1].documents] == [(DEFAULT_DOC_TYPE, (4, 5)), ("CCCD", (7,))]


def test_same_code_twice_stays_in_one_dossier() -> None:
    code = "38.98.H29-251231-0001"
    result = plan(pages(f"c:{code}", "p", f"c:{code}"))
    assert len(result) == 1 and result[0].documents[0].pages == (0, 1, 2)


def test_pages_before_any_code_form_a_batch_dossier() -> None:
    code = "38.98.H29-251231-0001"
    result = plan(pages("p", "p", f"c:{code}", "p"))
    assert [d.dossier_code for d in result] == [None, code]


def test_excluded_pages_before_first_code_go_with_that_dossier() -> None:
    code = "38.98.H29-251231-0001"
    result = plan(pages("b", "s:DON", f"c:{code}", "p"))
    assert len(result) == 1 and result[0].dossier_code == code
    assert [e.reason for e in result[0].excluded] == ["blank", "separator"]


def test_auto_without_separators_splits_per_file() -> None:
    result = plan(pages("@a.pdf", "p", "p", "@b.tif", "p", "@c.png", "p"))
    assert [d.pages for d in result[0].documents] == [(0, 1), (2,), (3,)]


def test_auto_with_separators_ignores_file_boundaries() -> None:
    result = plan(pages("@a.pdf", "p", "@b.pdf", "p", "s", "p"))
    assert [d.pages for d in result[0].documents] == [(0, 1), (3,)]


def test_blank_mode_splits_at_blank_pages_and_excludes_them() -> None:
    result = plan(pages("p", "b", "p", "b", "b", "p", "u"), SplitMode.BLANK)
    assert [d.pages for d in result[0].documents] == [(0,), (2,), (5,)]
    assert [e.reason for e in result[0].excluded] == ["blank", "blank", "blank", "unreadable"]


def test_blank_pages_do_not_split_in_separator_mode() -> None:
    result = plan(pages("p", "b", "p"), SplitMode.SEPARATOR)
    assert [d.pages for d in result[0].documents] == [(0, 2)]


def test_empty_stream_gives_one_empty_dossier() -> None:
    result = plan([])
    assert len(result) == 1 and result[0].documents == ()


def test_slug_folds_vietnamese() -> None:
    assert slug("Giấy tờ đất đai") == "giay-to-dat-dai"
    assert slug("ĐƠN ĐỀ NGHỊ / bản sao") == "don-de-nghi-ban-sao"
    assert slug("///") == DEFAULT_DOC_TYPE
