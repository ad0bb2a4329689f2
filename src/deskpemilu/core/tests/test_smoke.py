def test_it_serves_login_page(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "Masuk ke Desk Pemilu" in response.content.decode()


def test_it_shows_home_to_admin(client_for, admin):
    response = client_for(admin).get("/")
    assert response.status_code == 200
    assert "Selamat datang" in response.content.decode()


def test_it_reports_city_through_api(api_for, admin):
    data = api_for(admin).get("/api/v1/regions/5271").json()
    assert data["tps_count"] == 1248
    assert data["dpt"] == 315549
    assert len(data["children"]) == 6
