"""Oracle Analytics Cloud's list prices by Oracle's part numbers (checked against Oracle's price-list API data,
named in catalog/pricing.py): Professional is B89630 and Enterprise B89631 per OCPU hour, their BYOL parts B89636
and B89637; users are B92682 / B92683 per user per month."""

from __future__ import annotations

import pytest

from ociconsole.catalog import analytics
from ociconsole.catalog.pricing import PRICES


@pytest.mark.parametrize(("part", "name", "usd"), [
    ("B89630", "Oracle Analytics Cloud - Professional - OCPU", 1.0753),
    ("B89631", "Oracle Analytics Cloud - Enterprise - OCPU", 2.1506),
    ("B89636", "Oracle Analytics Cloud - Professional - BYOL - OCPU", 0.3226),
    ("B89637", "Oracle Analytics Cloud - Enterprise - BYOL - OCPU", 0.3226),
    ("B92682", "Oracle Analytics Cloud - Professional - Users", 16.0),
    ("B92683", "Oracle Analytics Cloud - Enterprise - Users", 80.0),
])
def test_part_numbers_and_prices(part, name, usd):
    assert (PRICES[part].part, PRICES[part].usd) == (name, usd)
    assert "cetools/api/v1/products" in PRICES[part].source


@pytest.mark.parametrize(("edition", "license_type", "part", "per_hour"), [
    ("ENTERPRISE_ANALYTICS", "LICENSE_INCLUDED", "B89631", 2 * 2.1506),
    ("SELF_SERVICE_ANALYTICS", "LICENSE_INCLUDED", "B89630", 2 * 1.0753),
    ("ENTERPRISE_ANALYTICS", "BRING_YOUR_OWN_LICENSE", "B89637", 2 * 0.3226),
    ("SELF_SERVICE_ANALYTICS", "BRING_YOUR_OWN_LICENSE", "B89636", 2 * 0.3226),
])
def test_ocpu_cost_names_the_edition_part(edition, license_type, part, per_hour):
    c = analytics.cost(edition, license_type, "OLPU_COUNT", 2)
    assert c is not None and c.per == "hour" and c.amount == pytest.approx(per_hour)
    assert any(part in line for line in c.lines), c.lines
