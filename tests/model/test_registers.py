"""Register entries read into typed data: headings in index order, dates, glosses, other forms, authors."""

from __future__ import annotations

from conftest import model_of

REGISTER = """
<listPerson>
  <person xml:id="trotsky">
    <persName type="reg"><surname>Trotsky</surname><forename>Leon</forename></persName>
    <persName type="birth">Lev Davidovich Bronstein</persName>
    <birth when="1879-11-07"/><death when="1940-08-21"/>
    <note>Russian revolutionary, who led the Red Army. Later exiled.</note>
  </person>
  <person xml:id="kun"><persName>Béla Kun</persName><death notBefore="1938"/></person>
  <person xml:id="nobody"/>
</listPerson>
<listBibl>
  <bibl xml:id="history"><title type="main">History of the Russian Revolution</title>
    <author ref="#trotsky">Trotsky</author><date when="1930"/></bibl>
</listBibl>
<listPlace><place xml:id="paris"><placeName>Paris</placeName><placeName type="alt">Lutèce</placeName></place></listPlace>
<listOrg><org xml:id="poum"><orgName type="main">POUM</orgName><note>Workers' Party of Marxist Unification.</note></org>
</listOrg>"""


def test_register_entries_by_kind(tmp_path):
    registers = model_of(tmp_path, "<p>x</p>", source=REGISTER).registers
    trotsky = registers["person"]["trotsky"]
    assert (trotsky.heading, trotsky.dates, trotsky.gloss, trotsky.forms) == (
        "Trotsky, Leon", "1879–1940", "Russian revolutionary", ("Lev Davidovich Bronstein",))
    assert (registers["person"]["kun"].heading, registers["person"]["kun"].dates) == ("Béla Kun", "d. 1938")
    assert registers["person"]["nobody"].heading == "nobody"
    history = registers["work"]["history"]
    assert (history.heading, history.dates, history.authors) == (
        "History of the Russian Revolution", "1930", ("trotsky",))
    assert (registers["place"]["paris"].heading, registers["place"]["paris"].forms) == ("Paris", ("Lutèce",))
    assert (registers["org"]["poum"].heading, registers["org"]["poum"].gloss) == (
        "POUM", "Workers' Party of Marxist Unification")


def test_a_bibl_outside_a_list_is_no_work(tmp_path):
    registers = model_of(tmp_path, "<p>x</p>", source='<bibl xml:id="src">The source</bibl>').registers
    assert registers["work"] == {}
