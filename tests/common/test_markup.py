"""The one text pipeline: Word paste cleaned, Markdown rendered, HTML allow-listed, links made safe."""

from pathlib import Path

from forum.common.markup import clean_word_paste, plain_text, render

SEED_ARTICLE = Path(__file__).resolve().parents[3] / "shared" / "context" / "seed-article.txt"

WORD_HEADER = """<!--[if gte mso 9]><xml>
 <w:WordDocument>
  <w:View>Normal</w:View>
  <w:Zoom>0</w:Zoom>
 </w:WordDocument>
</xml><![endif]-->
Normal 0 false false false EN-GB X-NONE X-NONE MicrosoftInternetExplorer4
<!--[if gte mso 10]>
<style>
 /* Style Definitions */
 table.MsoNormalTable {mso-style-name:"Table Normal"; mso-tstyle-rowband-size:0;}
</style>
<![endif]-->
@font-face {font-family:"Cambria Math"; panose-1:2 4 5 3 5 4 6 3 2 4;}
@font-face {font-family:Calibri; mso-font-charset:0;}
p.MsoNormal, li.MsoNormal, div.MsoNormal {mso-style-parent:""; margin:0cm;
 font-size:12.0pt; font-family:"Times New Roman";}
"""


def test_script_tags_and_event_handlers_are_removed():
    html = render('Hello <script>alert("x")</script><img src=x onerror=alert(1)> <b onclick="x()">bold</b>')
    assert "<script" not in html and "onerror" not in html and "onclick" not in html and "<img" not in html
    assert "<b>bold</b>" in html


def test_javascript_links_lose_their_target():
    html = render('[click](javascript:alert(1)) <a href="javascript:alert(2)">x</a>')
    assert "javascript:" not in html


def test_links_are_marked_nofollow_ugc_noopener():
    html = render("See [the report](https://example.org/report) and https://example.com/page")
    assert html.count('rel="nofollow ugc noopener"') == 2
    assert 'href="https://example.com/page"' in html


def test_headings_are_demoted_below_the_page_headings():
    html = render("# Big\n\n## Smaller\n\n###### Smallest")
    assert "<h1" not in html and "<h2" not in html
    assert "<h3>Big</h3>" in html and "<h4>Smaller</h4>" in html and "<h6>Smallest</h6>" in html


def test_markdown_features_survive():
    html = render("Some *emphasis*, a list:\n\n- one\n- two\n\n> a quote\n\n```\ncode <b>\n```")
    assert "<em>emphasis</em>" in html and "<li>one</li>" in html and "<blockquote>" in html
    assert "code &lt;b&gt;" in html


def test_word_residue_is_removed_and_paragraphs_rebuilt():
    pasted = WORD_HEADER + "Over recent\nweeks, evaluation reports have been published.\nThe two\nschemes in question."
    html = render(pasted)
    for residue in ("mso", "Mso", "font-face", "Calibri", "MicrosoftInternetExplorer", "X-NONE", "{", "<!--"):
        assert residue not in html
    assert "<p>Over recent weeks, evaluation reports have been published.</p>" in html
    assert "<p>The two schemes in question.</p>" in html


def test_the_seed_article_pasted_from_word_reads_as_clean_paragraphs():
    article = SEED_ARTICLE.read_text(encoding="utf-8")
    html = render(WORD_HEADER + article)
    assert "mso" not in html.lower() and "font-face" not in html and "{" not in html
    assert html.count("<p>") >= 15
    assert "Over recent weeks, evaluation reports have been published on two government programmes" in html
    assert "participatory budgeting" in html


def test_word_html_markup_is_reduced_to_plain_paragraphs():
    html = render(
        '<p class=MsoNormal style="margin:0cm">Hello<o:p></o:p></p>'
        '<p class="MsoNormal"><span lang=EN-GB>World</span></p>'
    )
    assert 'class=' not in html and "style" not in html and "o:p" not in html
    assert "Hello" in html and "World" in html


def test_ordinary_markdown_is_not_unwrapped():
    assert clean_word_paste("line one\nline two") == "line one\nline two"


def test_plain_text_strips_all_markup():
    assert plain_text("**Hello** <i>there</i> [link](https://x.org)") == "Hello there link"
