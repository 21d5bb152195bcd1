"""Text from data shown as itself where Streamlit renders Markdown."""

from components import markup


def test_bold_keeps_the_name_as_typed_inside_the_bold():
    assert markup.bold("Fete *2026*") == r"**Fete \*2026\***"
    assert markup.bold(" Maldon ") == "**Maldon**"  # "** Maldon **" would not be bold


def test_bullets_escape_each_line_so_a_line_cannot_start_another_list_or_heading():
    assert markup.bullets(["# 1 concern", "- dash", "Shoplifting rose from 8% to 21%"]) == (
        "- \\# 1 concern\n- \\- dash\n- Shoplifting rose from 8% to 21%")
    assert markup.bullets([]) == ""


def test_plain_sentences_from_the_core_are_unchanged():
    """The core's sentences (as the command line prints them) need no escaping, so pages read them unchanged."""
    sentence = ("Residents rank drug misuse 1st; it is 9th of 14 by recorded crime. £1,234 (−4.2%) in 2024-25, "
                "95% interval 3–7.")
    assert markup.plain(sentence) == sentence
