"""The disagreements page and the label search (aliases and spellings find the entity)."""

import pytest

pytestmark = pytest.mark.anyio


@pytest.fixture
def client(built_client):
    return built_client()


async def test_disagreements_side_by_side_with_quotes(client):
    page = await client.get("/disagreements")
    assert page.status_code == 200 and "7 disagreements on values and 2 on spelling" in page.text
    assert "“In January 2023, a raid by one of these militias killed three American soldiers”" in page.text
    assert page.text.count('class="side"') >= 18
    data = (await client.get("/disagreements", headers={"Accept": "application/json"})).json()
    assert len(data) == 9


@pytest.mark.parametrize("query, key", [("Hareer", "harir-air-base"), ("Daesh", "islamic-state"),
                                        ("Mohamed Shia al-Sudani", "mohammed-shia-al-sudani"), ("Pentagon", "us-dod")])
async def test_search_by_name_or_alias(client, query, key):
    page = await client.get("/search", params={"q": query})
    assert f'href="/doc/id/{key}"' in page.text.split('<ol id="results">', 1)[1].split("</li>", 1)[0]
    data = (await client.get("/search", params={"q": query}, headers={"Accept": "application/json"})).json()
    assert data["results"][0]["id"] == key
