def test_it_serves_login_page(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "Masuk ke Desk Pemilu" in response.content.decode()


def test_it_shows_the_situation_room_to_the_desk(client_for, admin, viewer):
    for user in (admin, viewer):
        response = client_for(user).get("/")
        assert response.status_code == 200
        assert "Ruang situasi" in response.content.decode()


def test_it_welcomes_field_accounts_on_their_home(client_for, operator):
    response = client_for(operator).get("/")
    assert response.status_code == 200
    assert "Selamat datang" in response.content.decode()


def test_it_reports_city_through_api(api_for, admin):
    data = api_for(admin).get("/api/v1/regions/5271").json()
    assert data["tps_count"] == 1248
    assert data["dpt"] == 315549
    assert len(data["children"]) == 6


def test_it_speaks_indonesian_first_whatever_the_browser_prefers(client):
    response = client.get("/accounts/login/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert "Masuk ke Desk Pemilu" in response.content.decode()
    client.cookies["django_language"] = "en"
    assert "Masuk ke Desk Pemilu" not in client.get("/accounts/login/").content.decode()
