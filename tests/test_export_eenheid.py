"""The one-pager of a wijk or gebied (HTML and PDF)."""

from wijkprofielen.export.eenheid import level_html, level_pdf, onepager
from wijkprofielen.gebieden import Gebied
from wijkprofielen.workspace import Workspace


def test_onepager_of_a_gebied_names_origin_spread_and_version(voorbeeld, config):
    frame, result = Workspace(config).scored(voorbeeld)
    placed = result.scores[result.scores["kwadrant"].isin(["hoog_hoog", "laag_laag"])]
    codes = (placed.index[placed["kwadrant"] == "hoog_hoog"][0], placed.index[placed["kwadrant"] == "laag_laag"][0])
    profiel = Workspace(config).level(voorbeeld, "gebied", [Gebied("Tweeslag", codes, "twee uitersten", versie=3)])
    p = onepager(voorbeeld, profiel, config, "Tweeslag")
    assert p["titel"] == "Tweeslag — eigen gebied" and "versie 3" in p["ondertitel"]
    assert p["eenduidig"].startswith("Niet eenduidig")  # opposite quadrants
    assert len(p["buurten"]) == 2
    assert any(row[3].startswith("berekend uit 2 buurten") for row in p["cijfers"])
    page = level_html(voorbeeld, profiel, config, "Tweeslag").decode()
    assert "<h1>Tweeslag — eigen gebied</h1>" in page and "Niet eenduidig" in page
    assert level_pdf(voorbeeld, profiel, config, "Tweeslag").startswith(b"%PDF")
